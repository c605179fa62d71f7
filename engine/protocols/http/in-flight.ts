import type { Exchange } from './exchange.js';

/** This thread's exchanges on the wire (from Exchange.run() until they end), for recordInFlight(). */
export const inFlight = new Set<Exchange>();

/** The failure of a request its worker thread ended before it did (error-codes.ts: not a request when nothing was sent). */
export function workerStopped(): Error {
  return Object.assign(new Error('its worker thread was stopped'), { code: 'ERR_LOADTS_WORKER_STOPPED' });
}

/**
 * A worker thread about to end (the script called process.exit(), or it is stuck and paused
 * before it is terminated) records the requests it still has on the wire, synchronously (the
 * thread may be gone at the next turn): each fails ('request aborted: its worker thread was
 * stopped') and is reported through its `lost` callback with what it sent and read, so that
 * http_reqs stays what the server received. A request that had sent nothing is not counted
 * (isVuAbort), as at any stop. Returns how many were ended.
 */
export function recordInFlight(): number {
  const ended = [...inFlight];
  for (const ex of ended) ex.abandon();
  return ended.length;
}
