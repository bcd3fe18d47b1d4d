/**
 * A minimal SMTP client for lab tests: the controller speaks to a lab host's real Postfix
 * over the lab network (never to any other address) and reports the server's reply to
 * each message's final dot, which is where a milter's verdict arrives.
 */
import { Socket } from 'node:net';

export const GTUBE = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X';

export interface SmtpMessage {
  subject: string;
  body: string;
}

/** Reads complete SMTP replies (the last line of a multi-line reply) from a socket. */
class ReplyReader {
  private buffer = '';
  private waiting: ((line: string) => void) | undefined;
  private readonly lines: string[] = [];

  constructor(socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl).replace(/\r$/, '');
        this.buffer = this.buffer.slice(nl + 1);
        if (/^\d{3}(?: |$)/.test(line)) this.push(line);
      }
    });
  }

  private push(line: string): void {
    const w = this.waiting;
    if (w) {
      this.waiting = undefined;
      w(line);
    } else this.lines.push(line);
  }

  next(): Promise<string> {
    const ready = this.lines.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => (this.waiting = resolve));
  }
}

/**
 * Sends each message in one session to `address`:25, from and to postmaster@[address]
 * (a recipient every Postfix accepts as local), and returns the final reply per message
 * (e.g. `250 2.0.0 Ok: queued as ...`, `550 5.7.1 Blocked by SpamAssassin`). A reply
 * other than the expected one before DATA is returned as that message's verdict.
 */
export async function sendMail(address: string, messages: readonly SmtpMessage[], timeoutMs = 180_000): Promise<string[]> {
  const socket = new Socket();
  socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`SMTP to ${address}: no reply within ${timeoutMs} ms`)));
  const failed = new Promise<never>((_, reject) => socket.on('error', reject));
  const reader = new ReplyReader(socket);
  const talk = async (): Promise<string[]> => {
    await new Promise<void>((resolve) => socket.connect(25, address, resolve));
    const say = async (line: string): Promise<string> => {
      socket.write(`${line}\r\n`);
      return reader.next();
    };
    const greeting = await reader.next();
    if (!greeting.startsWith('220')) return messages.map(() => greeting);
    await say('EHLO kelpie-test.invalid');
    const rcpt = `postmaster@[${address}]`;
    const verdicts: string[] = [];
    for (const [i, m] of messages.entries()) {
      const steps = [`MAIL FROM:<${rcpt}>`, `RCPT TO:<${rcpt}>`, 'DATA'];
      let early: string | undefined;
      for (const step of steps) {
        const r = await say(step);
        if (!r.startsWith(step === 'DATA' ? '354' : '250')) {
          early = r;
          break;
        }
      }
      if (early !== undefined) {
        verdicts.push(early);
        await say('RSET');
        continue;
      }
      const headers = [
        `From: <${rcpt}>`, `To: <${rcpt}>`, `Subject: ${m.subject}`,
        `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`, `Message-ID: <${Date.now()}.${i}.kelpie-test@[${address}]>`,
      ];
      const body = m.body.split('\n').map((l) => (l.startsWith('.') ? `.${l}` : l));
      verdicts.push(await say([...headers, '', ...body, '.'].join('\r\n')));
      await say('RSET');
    }
    await say('QUIT');
    return verdicts;
  };
  try {
    return await Promise.race([talk(), failed]);
  } finally {
    socket.destroy();
  }
}

export const ORDINARY: SmtpMessage = {
  subject: 'lab test: an ordinary message',
  body: 'This message checks that the mail server accepts ordinary mail.\nNothing to do.\n',
};

export const SPAM_GTUBE: SmtpMessage = {
  subject: 'lab test: the GTUBE test message',
  body: `This is the GTUBE, the Generic Test for Unsolicited Bulk Email:\n\n${GTUBE}\n`,
};
