import type { MessagePort } from 'node:worker_threads';
import type { WorkerMessage } from './protocol.js';

/**
 * A worker thread's stdout and stderr (the script's console, its error log, anything written)
 * travel on the port of the task under way, in order with the task's other messages. Node's own
 * stdio of a worker thread is a channel of its own, so lines written just before a task's result
 * could still be in flight when the coordinator ends the thread, and were lost (the last
 * console.log of a short run, at random). Outside a task, writes go Node's way.
 */
export function routeStdio(port: () => MessagePort | undefined): void {
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name];
    const nodeWrite = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
      const p = port();
      if (p === undefined) return nodeWrite(chunk, ...rest);
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      p.postMessage({ kind: 'output', stream: name, text } satisfies WorkerMessage);
      const done = rest.find((r): r is () => void => typeof r === 'function');
      done?.();
      return true;
    }) as typeof stream.write;
  }
}
