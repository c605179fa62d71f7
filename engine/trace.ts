import { redactText } from './redact.js';

/**
 * Start-up tracing for `LOADTS_TRACE=1`: one line on stderr per phase, with the time since the
 * process (or worker thread) started. Off, it costs one property read per call.
 */
const enabled = process.env.LOADTS_TRACE === '1';

/** Writes `[  123.4 ms] main: what` when tracing is on. */
export function trace(what: string): void {
  if (!enabled) return;
  const thread = (globalThis as { __loadtsThread?: string }).__loadtsThread ?? 'main';
  process.stderr.write(`[${performance.now().toFixed(1).padStart(7)} ms] ${thread}: ${redactText(what)}\n`);
}
