/**
 * SIGINT and SIGTERM. A command that can stop cleanly (a playbook run) claims the first
 * signal: the run stops starting tasks, kills what runs on the hosts, removes its temp
 * files, writes its reports and returns. Any other command, and any second signal, ends
 * the process at once.
 */
import { interruptExitCode } from '../output/events.js';

export interface Interrupts {
  /** Aborted on the first signal; its reason is the signal's name. */
  readonly signal: AbortSignal;
  /** From now on the first signal is handled by the running command, not by exiting. */
  claim(): void;
}

export function installSignalHandlers(say: (s: string) => void, exit: (code: number) => void): Interrupts {
  const controller = new AbortController();
  let claimed = false;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (!claimed || controller.signal.aborted) {
      say(`\n [ERROR]: ${sig === 'SIGINT' ? 'User interrupted execution' : `Terminated by ${sig}`}\n`);
      exit(interruptExitCode(sig));
      return;
    }
    controller.abort(sig);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    claim: () => void (claimed = true),
  };
}
