#!/usr/bin/perl
# SMTP probe for spamassassin-milter.yaml's verify tag (run on the mail host by the script
# module): one ordinary message must be accepted (2xx) and the GTUBE test message rejected
# (5xx) while the sender is still connected.
#
# It speaks to Postfix on the first address of inet_interfaces that is not a loopback
# address (the milter passes mail from 127.0.0.1 unchecked); when Postfix listens on all
# addresses, on the address given as the first argument, else the host's first global IPv4
# address. Core Perl only (IO::Socket).
use strict;
use warnings;
use IO::Socket::INET;

my $fallback = shift @ARGV;
my $ifaces = `postconf -h inet_interfaces 2>/dev/null`;
chomp $ifaces;
my ($addr) = grep { $_ ne 'all' && $_ !~ /^(127\.|localhost$|::1$|\[::1\]$)/ } split /[\s,]+/, $ifaces;
$addr = $fallback if !defined $addr || $addr eq '';
# Listening on all addresses and no address given: the host's first global IPv4 address.
($addr) = `ip -o -4 addr show scope global 2>/dev/null` =~ m{\binet (\d+\.\d+\.\d+\.\d+)/} if !defined $addr || $addr eq '';
die "no address to reach Postfix on (inet_interfaces: $ifaces)\n" unless defined $addr && $addr ne '';

my $sock = IO::Socket::INET->new(PeerAddr => $addr, PeerPort => 25, Proto => 'tcp', Timeout => 30)
  or die "cannot connect to $addr:25: $!\n";

# One (possibly multi-line) SMTP reply: its last line, e.g. "250 2.0.0 Ok".
sub reply {
  my $last = '';
  while (defined(my $line = <$sock>)) {
    $line =~ s/\r?\n$//;
    $last = $line;
    last if $line =~ /^\d{3}(?: |$)/;
  }
  return $last;
}

sub say_line {
  my ($line) = @_;
  print $sock "$line\r\n";
  return reply();
}

sub expect {
  my ($what, $got, $code) = @_;
  die "$what: expected $code, got '$got'\n" unless $got =~ /^$code/;
  return $got;
}

expect('greeting', reply(), '220');
expect('EHLO', say_line('EHLO kelpie-verify.invalid'), '250');

my $rcpt = "postmaster\@[$addr]";
my $date = `LC_ALL=C date -R`;
chomp $date;

# Sends one message; returns the reply to its final dot (the milter's verdict).
sub send_message {
  my ($subject, $body) = @_;
  expect('MAIL FROM', say_line("MAIL FROM:<$rcpt>"), '250');
  expect('RCPT TO', say_line("RCPT TO:<$rcpt>"), '250');
  expect('DATA', say_line('DATA'), '354');
  my $id = sprintf('<%d.%d.kelpie-verify@%s>', time, $$, "[$addr]");
  my $msg = join("\r\n",
    "From: Postmaster <$rcpt>", "To: Postmaster <$rcpt>", "Subject: $subject",
    "Date: $date", "Message-ID: $id", '', split(/\n/, $body), '.');
  print $sock "$msg\r\n";
  my $verdict = reply();
  say_line('RSET');
  return $verdict;
}

my $ordinary = send_message('kelpie verify: an ordinary message',
  "This message checks that the mail server accepts ordinary mail.\nNothing to do.\n");
my $gtube = send_message('kelpie verify: the GTUBE test message',
  "This is the GTUBE, the Generic Test for Unsolicited Bulk Email:\n\n"
  . "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\n");
say_line('QUIT');

print "address: $addr\nordinary mail: $ordinary\nGTUBE: $gtube\n";
my $ok = $ordinary =~ /^2/ && $gtube =~ /^5/;
print $ok ? "ok: ordinary mail accepted, GTUBE rejected\n" : "FAILED: wanted 2xx for ordinary mail and 5xx for GTUBE\n";
exit($ok ? 0 : 1);
