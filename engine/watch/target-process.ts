import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { LoadtsError } from '../errors.js';

/** How long --watch-cmd's target has to start accepting connections. */
export const READY_TIMEOUT_MS = 30_000;
/** How long it has to stop after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 5000;

/** A target loadts started (--watch-cmd). */
export interface StartedTarget {
  pid: number;
  command: string;
  stop(): Promise<void>;
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/**
 * Starts `command` in a shell, in a process group of its own (so its children stop with it), and
 * waits until `readyUrl`'s host and port accept a connection. Its output goes to loadts's stderr.
 * stop() sends the group SIGTERM, then SIGKILL after STOP_GRACE_MS.
 * @throws LoadtsError INVALID_FLAG when it exits or is not ready within READY_TIMEOUT_MS
 */
export async function startTargetCommand(command: string, readyUrl: string): Promise<StartedTarget> {
  let url: URL;
  try {
    url = new URL(readyUrl);
  } catch {
    throw new LoadtsError('INVALID_FLAG', `--watch-cmd: BASE_URL ${JSON.stringify(readyUrl)} is not a URL, so loadts cannot tell when the target is ready`);
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const child = spawn(command, { shell: true, detached: process.platform !== 'win32', stdio: ['ignore', 'inherit', 'inherit'] });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const kill = (sig: NodeJS.Signals) => {
      try {
        if (process.platform === 'win32') child.kill(sig);
        else process.kill(-child.pid!, sig);
      } catch {
        /* already gone */
      }
    };
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), STOP_GRACE_MS);
    await exited(child);
    clearTimeout(timer);
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new LoadtsError('INVALID_FLAG', `--watch-cmd ${JSON.stringify(command)} exited (${child.exitCode ?? child.signalCode}) before ${host}:${port} accepted a connection`);
    if (await accepts(host, port)) return { pid: child.pid!, command, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new LoadtsError('INVALID_FLAG', `--watch-cmd ${JSON.stringify(command)}: ${host}:${port} (BASE_URL) did not accept a connection within ${READY_TIMEOUT_MS / 1000} s`);
}
