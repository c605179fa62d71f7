import type { RestControl } from './rest-api.js';
import type { RunContext } from './run-context.js';

/** The REST API's view of a run: status, metrics, and live control of externally-controlled scenarios. */
export function restControl(ctx: RunContext): RestControl {
  const { test, collector } = ctx;
  const external = test.options.scenarios.flatMap((s) =>
    s.executor === 'externally-controlled' ? [{ name: s.name, vus: s.vus, maxVUs: s.maxVUs, configuredMax: s.maxVUs, paused: false }] : [],
  );
  return {
    status: () => {
      const t = collector.totals();
      const stopped = ctx.end.stopped;
      return { running: ctx.loadStartPerf > 0 && !stopped, paused: external.some((e) => e.paused), stopped, vus: t.vus, vusMax: t.vusMax, tainted: false };
    },
    patch: (c) => {
      if (c.stopped === true) {
        ctx.stop('interrupted', 'stopped through the REST API');
        return undefined;
      }
      if (external.length === 0 && (c.vus !== undefined || c.vusMax !== undefined || c.paused !== undefined)) {
        return 'no externally-controlled scenario: only {"stopped": true} applies to this test';
      }
      for (const e of external) {
        const maxVUs = c.vusMax ?? e.maxVUs;
        const vus = c.vus ?? e.vus;
        if (!Number.isInteger(vus) || vus < 0) return `vus must be a non-negative integer, got ${vus}`;
        if (maxVUs > e.configuredMax) return `vus-max ${maxVUs} exceeds scenario ${e.name}'s maxVUs (${e.configuredMax})`;
        if (vus > maxVUs) return `vus (${vus}) cannot exceed vus-max (${maxVUs})`;
      }
      for (const e of external) {
        e.maxVUs = c.vusMax ?? e.maxVUs;
        e.vus = c.vus ?? e.vus;
        e.paused = c.paused ?? e.paused;
        const control = { kind: 'control' as const, scenario: e.name, vus: e.vus, maxVUs: e.maxVUs, paused: e.paused };
        ctx.controls.set(e.name, control);
        ctx.broadcast(control);
      }
      return undefined;
    },
    metrics: () => {
      const elapsed = ctx.loadStartPerf > 0 ? performance.now() - ctx.loadStartPerf : 0;
      return collector.aggregate.defs().flatMap((d) => {
        const values = collector.aggregate.values(d.name, undefined, d.type === 'trend' ? test.options.summaryTrendStats : [], elapsed);
        return values === undefined ? [] : [{ name: d.name, type: d.type, contains: d.contains, values }];
      });
    },
  };
}
