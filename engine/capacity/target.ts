import type { RunRecord } from '../record/types.js';
import { judgeLeak } from '../watch/leak.js';
import type { TargetRecord } from '../watch/types.js';

/**
 * The watched target over the whole search (--watch-pid / --watch-cmd): every level's samples in
 * time order, and the RSS trend judged on all of them (docs/capacity.md). Each level's own
 * judgement covers half a minute at most, too little to call a leak; the search's spans them all.
 * Undefined when no level was watched.
 */
export function searchTarget(records: readonly RunRecord[]): TargetRecord | undefined {
  const watched = records.map((r) => r.target).filter((t): t is TargetRecord => t !== undefined);
  const first = watched[0];
  if (first === undefined) return undefined;
  const samples: TargetRecord['samples'] = { atMs: [], rssBytes: [], cpuPercent: [], fds: [], threads: [] };
  for (const t of watched) {
    for (const k of ['atMs', 'rssBytes', 'cpuPercent', 'fds', 'threads'] as const) (samples[k] as unknown[]).push(...t.samples[k]);
  }
  const points = samples.atMs.map((atMs, i) => ({ atMs, rssBytes: samples.rssBytes[i]! }));
  const gone = watched.find((t) => t.gone !== undefined)?.gone;
  return {
    pid: first.pid,
    ...(first.command === undefined ? {} : { command: first.command }),
    samples,
    leak: judgeLeak(points),
    ...(gone === undefined ? {} : { gone }),
  };
}
