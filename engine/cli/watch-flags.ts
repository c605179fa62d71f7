import { LoadtsError } from '../errors.js';
import type { WatchSpec } from '../watch/target-watch.js';

/** A watch set up from --watch-pid or --watch-cmd: what to watch, and how to end it. */
export interface WatchSetup {
  spec: WatchSpec;
  stop(): Promise<void>;
}

/**
 * --watch-pid PID (the process must exist) or --watch-cmd CMD (started now, ready when BASE_URL's
 * host and port accept a connection, stopped by stop()). Undefined when neither was given.
 * @throws LoadtsError INVALID_FLAG
 */
export async function startWatch(opts: { pid?: number; cmd?: string }, baseUrl: string | undefined): Promise<WatchSetup | undefined> {
  if (opts.pid !== undefined && opts.cmd !== undefined) throw new LoadtsError('INVALID_FLAG', '--watch-pid and --watch-cmd both given: watch one target');
  if (opts.pid !== undefined) {
    try {
      process.kill(opts.pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw new LoadtsError('INVALID_FLAG', `--watch-pid ${opts.pid}: no such process`);
    }
    return { spec: { pid: opts.pid }, stop: async () => {} };
  }
  if (opts.cmd === undefined) return undefined;
  if (baseUrl === undefined) throw new LoadtsError('INVALID_FLAG', '--watch-cmd needs BASE_URL (-e BASE_URL=http://127.0.0.1:PORT): loadts waits until it accepts connections');
  const { startTargetCommand } = await import('../watch/target-process.js');
  const started = await startTargetCommand(opts.cmd, baseUrl);
  return { spec: { pid: started.pid, command: opts.cmd }, stop: started.stop };
}
