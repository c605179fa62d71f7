/**
 * Signals that stop a run. The first SIGINT or SIGTERM stops it gracefully: the load stops,
 * teardown() runs, every result is written. Signals within SAME_STOP_MS of the first are the same
 * stop: `timeout 60 loadts run …` sends SIGTERM to loadts and to its process group, so loadts sees
 * two signals microseconds apart, and a terminal's Ctrl-C reaches npx and loadts alike. A later
 * signal means "exit at once": teardown is skipped and loadts writes what it has already merged
 * (bounded to FORCE_WRITE_MS) before it exits with 105.
 */

/** Signals closer together than this are one stop. */
export const SAME_STOP_MS = 500;
/** How long the "exit at once" path may spend writing what was merged. */
export const FORCE_WRITE_MS = 1500;

export interface StopSignalHandlers {
  /** The first signal: stop gracefully. */
  stop(signal: NodeJS.Signals): void;
  /** A later signal: write what is there, within `FORCE_WRITE_MS`; the process then exits. */
  force(signal: NodeJS.Signals): Promise<void>;
  /** Exits the process (process.exit; tests may replace it). */
  exit(code: number): void;
}

/** Installs SIGINT/SIGTERM handlers; returns a function that removes them. */
export function installStopSignals(h: StopSignalHandlers, exitCode: number): () => void {
  let firstAtMs: number | undefined;
  let forcing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    const now = performance.now();
    if (firstAtMs === undefined) {
      firstAtMs = now;
      h.stop(signal);
      return;
    }
    if (now - firstAtMs < SAME_STOP_MS || forcing) return;
    forcing = true;
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, FORCE_WRITE_MS).unref());
    void Promise.race([h.force(signal).catch(() => {}), deadline]).then(() => h.exit(exitCode));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
