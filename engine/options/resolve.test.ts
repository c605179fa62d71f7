import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../cli/args.js';
import { LoadtsError } from '../errors.js';
import { optionsFromEnv } from './env.js';
import { resolveOptions, resolveOptionsWithWarnings, type OptionLayer } from './resolve.js';
import type { Options, ResolvedOptions } from './types.js';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Options as a script might export them, unchecked (mistakes included). */
type Loose = Record<string, unknown>;
const layer = (source: string, options: Loose): OptionLayer => ({ source, options: options as Options });
const script = (options: Loose) => layer('script', options);
const resolve = (...layers: OptionLayer[]) => resolveOptions(layers);
const warningsOf = (...layers: OptionLayer[]) => resolveOptionsWithWarnings(layers).warnings;
const cli = (...flags: string[]): OptionLayer => {
  const cmd = parseArgs(['run', ...flags, 'script.ts']);
  if (cmd.command !== 'run') throw new Error('not run');
  return { source: 'command line', options: cmd.options };
};
const env = (vars: Record<string, string>): OptionLayer => ({ source: 'environment', options: optionsFromEnv(vars) });

function errorOf(f: () => unknown): LoadtsError {
  try {
    f();
  } catch (e) {
    if (e instanceof LoadtsError) return e;
    throw e;
  }
  throw new Error('expected a LoadtsError');
}

describe('defaults (k6)', () => {
  it('resolves no options to one iteration of one VU and k6 defaults everywhere', () => {
    expect(resolve()).toEqual({
      scenarios: [
        { name: 'default', executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDurationMs: 600_000, startTimeMs: 0, gracefulStopMs: 30_000, exec: 'default', env: {}, tags: {} },
      ],
      thresholds: {},
      tags: {},
      summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'],
      summaryTimeUnit: '',
      setupTimeoutMs: 60_000,
      teardownTimeoutMs: 60_000,
      userAgent: `loadts/${version}`,
      discardResponseBodies: false,
      noConnectionReuse: false,
      noVUConnectionReuse: false,
      maxRedirects: 10,
      insecureSkipTLSVerify: false,
      tlsVersion: { min: '', max: '' },
      tlsAuth: [],
      tlsCipherSuites: [],
      noCookiesReset: false,
      hosts: {},
      batch: 20,
      batchPerHost: 6,
      maxResponseBodySize: 256 * 2 ** 20,
      executionSegment: '0:1',
      executionSegmentSequence: '',
      noColor: false,
    } satisfies ResolvedOptions);
  });

  it("fills each executor's k6 defaults", () => {
    const common = { startTimeMs: 0, gracefulStopMs: 30_000, exec: 'default', env: {}, tags: {} };
    const scenarios = {
      si: { executor: 'shared-iterations' },
      pvi: { executor: 'per-vu-iterations' },
      cv: { executor: 'constant-vus', duration: '5s' },
      rv: { executor: 'ramping-vus', stages: [{ duration: '5s', target: 3 }] },
      car: { executor: 'constant-arrival-rate', rate: 10, duration: '5s', preAllocatedVUs: 2 },
      rar: { executor: 'ramping-arrival-rate', stages: [{ duration: '5s', target: 10 }], preAllocatedVUs: 2 },
      ec: { executor: 'externally-controlled', duration: '5s' },
    };
    expect(resolve(script({ scenarios })).scenarios).toEqual([
      { ...common, name: 'si', executor: 'shared-iterations', vus: 1, iterations: 1, maxDurationMs: 600_000 },
      { ...common, name: 'pvi', executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDurationMs: 600_000 },
      { ...common, name: 'cv', executor: 'constant-vus', vus: 1, durationMs: 5000 },
      { ...common, name: 'rv', executor: 'ramping-vus', startVUs: 1, stages: [{ durationMs: 5000, target: 3 }], gracefulRampDownMs: 30_000 },
      { ...common, name: 'car', executor: 'constant-arrival-rate', rate: 10, timeUnitMs: 1000, durationMs: 5000, preAllocatedVUs: 2, maxVUs: 2 },
      { ...common, name: 'rar', executor: 'ramping-arrival-rate', startRate: 0, timeUnitMs: 1000, stages: [{ durationMs: 5000, target: 10 }], preAllocatedVUs: 2, maxVUs: 2 },
      // k6: vus defaults to 0 and maxVUs to vus.
      { ...common, name: 'ec', executor: 'externally-controlled', vus: 0, maxVUs: 0, durationMs: 5000 },
    ]);
  });

  it('reads every scenario parameter', () => {
    const s = resolve(
      script({
        scenarios: {
          checkout: {
            executor: 'ramping-arrival-rate',
            startRate: 2,
            timeUnit: '1m',
            stages: [
              { duration: '10s', target: 20 },
              { duration: 5000, target: 0.5 },
            ],
            preAllocatedVUs: 5,
            maxVUs: 50,
            startTime: '30s',
            gracefulStop: '5s',
            exec: 'checkout',
            env: { FLOW: 'checkout', N: 3 },
            tags: { flow: 'checkout' },
          },
        },
      }),
    ).scenarios[0];
    expect(s).toEqual({
      name: 'checkout',
      executor: 'ramping-arrival-rate',
      startRate: 2,
      timeUnitMs: 60_000,
      stages: [
        { durationMs: 10_000, target: 20 },
        { durationMs: 5000, target: 0.5 },
      ],
      preAllocatedVUs: 5,
      maxVUs: 50,
      startTimeMs: 30_000,
      gracefulStopMs: 5000,
      exec: 'checkout',
      env: { FLOW: 'checkout', N: '3' },
      tags: { flow: 'checkout' },
    });
  });
});

describe('precedence: defaults < config file < script < environment < command line', () => {
  const config = (o: Loose) => layer('config file c.yaml', o);

  it.each<[string, [Loose, Loose, Record<string, string>, string[]], (r: ResolvedOptions) => unknown, unknown[]]>([
    ['userAgent', [{ userAgent: 'c' }, { userAgent: 's' }, { LOADTS_USER_AGENT: 'e' }, ['--user-agent', 'l']], (r) => r.userAgent, ['l', 'e', 's', 'c', `loadts/${version}`]],
    ['maxRedirects', [{ maxRedirects: 1 }, { maxRedirects: 2 }, { K6_MAX_REDIRECTS: '3' }, ['--max-redirects', '4']], (r) => r.maxRedirects, [4, 3, 2, 1, 10]],
    ['maxResponseBodySize', [{ maxResponseBodySize: '1kB' }, { maxResponseBodySize: 2000 }, { LOADTS_MAX_RESPONSE_BODY_SIZE: '3MB' }, ['--max-response-body-size', '4KiB']], (r) => r.maxResponseBodySize, [4096, 3e6, 2000, 1000, 256 * 2 ** 20]],
    ['summaryTimeUnit', [{ summaryTimeUnit: 's' }, { summaryTimeUnit: 'ms' }, { LOADTS_SUMMARY_TIME_UNIT: 'us' }, ['--summary-time-unit', 's']], (r) => r.summaryTimeUnit, ['s', 'us', 'ms', 's', '']],
    ['setupTimeout', [{ setupTimeout: '1s' }, { setupTimeout: '2s' }, { K6_SETUP_TIMEOUT: '3s' }, ['--setup-timeout', '4s']], (r) => r.setupTimeoutMs, [4000, 3000, 2000, 1000, 60_000]],
    ['discardResponseBodies', [{ discardResponseBodies: true }, { discardResponseBodies: false }, { K6_DISCARD_RESPONSE_BODIES: 'true' }, ['--discard-response-bodies=false']], (r) => r.discardResponseBodies, [false, true, false, true, false]],
    ['summaryTrendStats', [{ summaryTrendStats: ['min'] }, { summaryTrendStats: ['max'] }, { K6_SUMMARY_TREND_STATS: 'count' }, ['--summary-trend-stats', 'p(99)']], (r) => r.summaryTrendStats, [['p(99)'], ['count'], ['max'], ['min'], ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)']]],
    ['executionSegment', [{ executionSegment: '0:1/4' }, { executionSegment: '0:1/3' }, { LOADTS_EXECUTION_SEGMENT: '0:1/2' }, ['--execution-segment', '1/2:1']], (r) => r.executionSegment, ['1/2:1', '0:1/2', '0:1/3', '0:1/4', '0:1']],
    ['vus', [{ vus: 1, duration: '1s' }, { vus: 2 }, { K6_VUS: '3' }, ['-u', '4']], (r) => (r.scenarios[0] as { vus: number }).vus, [4, 3, 2, 1]],
    // Objects are replaced whole by a higher source, not merged (k6 Options.Apply).
    ['tags', [{ tags: { a: 'c', c: '1' } }, { tags: { a: 's' } }, { LOADTS_TAGS: 'a=e' }, ['--tag', 'a=l']], (r) => r.tags, [{ a: 'l' }, { a: 'e' }, { a: 's' }, { a: 'c', c: '1' }, {}]],
  ])('%s: each source overrides the ones below', (_name, [c, s, e, l], pick, expected) => {
    const all = [config(c), script(s), env(e), cli(...l)];
    for (let top = all.length; top >= 1; top--) {
      if (expected[all.length - top] === undefined) continue;
      expect(pick(resolve(...all.slice(0, top)))).toEqual(expected[all.length - top]);
    }
    if (expected[all.length] !== undefined) expect(pick(resolve())).toEqual(expected[all.length]);
  });

  it('replaces thresholds and hosts whole, as k6 does', () => {
    const r = resolve(
      config({ thresholds: { checks: ['rate>0.9'], http_req_failed: ['rate<0.1'] }, hosts: { a: '1.1.1.1', b: '2.2.2.2' } }),
      script({ thresholds: { http_req_duration: ['p(95)<200'] }, hosts: { a: '3.3.3.3' } }),
    );
    expect(Object.keys(r.thresholds)).toEqual(['http_req_duration']);
    expect(r.hosts).toEqual({ a: '3.3.3.3' });
  });

  it('keeps a lower value when a higher source gives null or undefined', () => {
    expect(resolve(config({ userAgent: 'c' }), script({ userAgent: null }), script({ userAgent: undefined })).userAgent).toBe('c');
  });

  it('names the source that set a bad value', () => {
    expect(() => resolve(config({ vus: -1, duration: '1s' }), script({}))).toThrow('invalid option vus (config file c.yaml): must be a non-negative integer, got -1');
    expect(() => resolve(config({ vus: 1 }), script({ duration: '1s' }), cli('--vus', '-3'))).toThrow('invalid option vus (command line): must be a non-negative integer, got -3');
    expect(() => resolve(script({ duration: '1s' }), env({ K6_VUS: '0' }))).toThrow('invalid option vus (environment): must be a positive integer, got 0');
  });
});

describe('execution shortcuts and scenarios across sources (k6 Options.Apply)', () => {
  const scenarios = { s: { executor: 'constant-vus', vus: 2, duration: '5s' } };

  it.each<[string, string[], Record<string, unknown>]>([
    ['duration', ['-d', '2s'], { executor: 'constant-vus', vus: 1, durationMs: 2000 }],
    ['duration and vus', ['-u', '9', '-d', '2s'], { executor: 'constant-vus', vus: 9, durationMs: 2000 }],
    ['iterations', ['-i', '7'], { executor: 'shared-iterations', vus: 1, iterations: 7, maxDurationMs: 600_000 }],
    ['stages', ['-s', '5s:10'], { executor: 'ramping-vus', startVUs: 1, stages: [{ durationMs: 5000, target: 10 }] }],
  ])('command-line %s replace the script scenarios, with a warning', (_what, flags, want) => {
    const { options, warnings } = resolveOptionsWithWarnings([script({ scenarios }), cli(...flags)]);
    expect(options.scenarios).toHaveLength(1);
    expect(options.scenarios[0]).toMatchObject({ name: 'default', ...want });
    expect(warnings).toContainEqual(expect.stringMatching(/^scenarios from script are replaced entirely by \w+(, \w+)* from command line$/));
  });

  it('vus alone does not replace scenarios (k6): it is ignored, with a warning', () => {
    const { options, warnings } = resolveOptionsWithWarnings([script({ scenarios }), cli('-u', '9')]);
    expect(options.scenarios).toEqual([expect.objectContaining({ name: 's', vus: 2 })]);
    expect(warnings).toEqual(['vus=9 (command line) is ignored: scenarios set their own VUs']);
  });

  it('vus from a higher source combines with a duration from a lower one', () => {
    expect(resolve(script({ vus: 2, duration: '30s' }), env({ K6_VUS: '10' })).scenarios[0]).toMatchObject({ executor: 'constant-vus', vus: 10, durationMs: 30_000 });
  });

  it('script scenarios replace config-file shortcuts', () => {
    expect(resolve(layer('config file c.json', { vus: 9, duration: '2s' }), script({ scenarios })).scenarios).toEqual([
      expect.objectContaining({ name: 's', vus: 2, durationMs: 5000 }),
    ]);
  });

  it('scenarios of a higher source replace lower scenarios whole (not merged by name)', () => {
    const { options, warnings } = resolveOptionsWithWarnings([
      layer('config file c.json', { scenarios: { a: { executor: 'shared-iterations' }, s: { executor: 'per-vu-iterations' } } }),
      script({ scenarios }),
    ]);
    expect(options.scenarios.map((s) => s.name)).toEqual(['s']);
    expect(warnings).toEqual(['scenarios from config file c.json are replaced entirely by scenarios from script']);
  });

  it('one execution option of a higher source drops all of them below: K6_ITERATIONS drops the script duration', () => {
    expect(resolve(script({ vus: 2, duration: '1m' }), env({ K6_ITERATIONS: '10' })).scenarios[0]).toMatchObject({
      executor: 'shared-iterations',
      vus: 2,
      iterations: 10,
      maxDurationMs: 600_000,
    });
    expect(resolve(script({ stages: [{ duration: '10s', target: 5 }] }), cli('-d', '3s')).scenarios[0]).toMatchObject({ executor: 'constant-vus', durationMs: 3000 });
    expect(resolve(script({ duration: '10s' }), cli('-s', '5s:3')).scenarios[0]).toMatchObject({ executor: 'ramping-vus', stages: [{ durationMs: 5000, target: 3 }] });
  });

  it('iterations with duration from the same source: shared-iterations with that maxDuration', () => {
    expect(resolve(cli('-i', '10', '-d', '20s', '-u', '2')).scenarios[0]).toMatchObject({ executor: 'shared-iterations', vus: 2, iterations: 10, maxDurationMs: 20_000 });
  });

  it.each<[Loose, string]>([
    [{ scenarios, duration: '1s' }, 'invalid option duration (script): cannot be combined with scenarios in the same place (script); use one execution shortcut, or scenarios'],
    [{ scenarios, iterations: 5 }, 'invalid option iterations (script): cannot be combined with scenarios in the same place (script)'],
    [{ scenarios, stages: [{ duration: '1s', target: 1 }] }, 'invalid option stages (script): cannot be combined with scenarios in the same place (script)'],
    [{ stages: [{ duration: '1s', target: 1 }], duration: '1s' }, 'invalid option stages (script): cannot be combined with duration in the same place (script)'],
    [{ stages: [{ duration: '1s', target: 1 }], iterations: 3 }, 'invalid option stages (script): cannot be combined with iterations in the same place (script)'],
  ])('shortcuts that conflict in one source are an error (k6): %j', (options, message) => {
    const e = errorOf(() => resolve(script(options)));
    expect(e.message).toContain(message);
    expect(e.code).toBe('INVALID_OPTION');
  });
});

describe('shortcuts map to the default scenario (k6 DeriveScenariosFromShortcuts)', () => {
  const base = { name: 'default', exec: 'default', startTimeMs: 0, gracefulStopMs: 30_000, env: {}, tags: {} };
  it.each<[Loose, Record<string, unknown>, string[]]>([
    [{}, { executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDurationMs: 600_000 }, []],
    [{ vus: 1 }, { executor: 'per-vu-iterations', vus: 1, iterations: 1 }, []],
    [{ vus: 3 }, { executor: 'per-vu-iterations', vus: 1, iterations: 1 }, ['vus=3 (script) is ignored: it only takes effect with iterations, duration or stages (running 1 iteration with 1 VU)']],
    [{ iterations: 10 }, { executor: 'shared-iterations', vus: 1, iterations: 10, maxDurationMs: 600_000 }, []],
    [{ vus: 3, iterations: 30 }, { executor: 'shared-iterations', vus: 3, iterations: 30, maxDurationMs: 600_000 }, []],
    [{ duration: '10s' }, { executor: 'constant-vus', vus: 1, durationMs: 10_000 }, []],
    [{ vus: 3, duration: '10s' }, { executor: 'constant-vus', vus: 3, durationMs: 10_000 }, []],
    [{ iterations: 10, duration: '10s' }, { executor: 'shared-iterations', vus: 1, iterations: 10, maxDurationMs: 10_000 }, []],
    [{ stages: [{ duration: '5s', target: 10 }] }, { executor: 'ramping-vus', startVUs: 1, stages: [{ durationMs: 5000, target: 10 }], gracefulRampDownMs: 30_000 }, []],
    [{ vus: 0, stages: [{ duration: '5s', target: 10 }, { duration: '0s', target: 4 }] }, { executor: 'ramping-vus', startVUs: 0, stages: [{ durationMs: 5000, target: 10 }, { durationMs: 0, target: 4 }] }, []],
    [{ stages: [] }, { executor: 'per-vu-iterations', vus: 1, iterations: 1 }, ['stages (script) is empty: running 1 iteration with 1 VU']],
    [{ scenarios: {} }, { executor: 'per-vu-iterations', vus: 1, iterations: 1 }, ['scenarios (script) is empty: running 1 iteration with 1 VU']],
    [{ vus: '4', duration: 2000 }, { executor: 'constant-vus', vus: 4, durationMs: 2000 }, []],
  ])('%j', (options, want, warnings) => {
    const r = resolveOptionsWithWarnings([script(options)]);
    expect(r.options.scenarios).toHaveLength(1);
    expect(r.options.scenarios[0]).toMatchObject({ ...base, ...want });
    expect(r.warnings).toEqual(warnings);
  });
});

describe('validation: one one-line error per mistake, naming the option path and its source', () => {
  const cv = (extra: Loose) => ({ scenarios: { a: { executor: 'constant-vus', duration: '1s', ...extra } } });
  const car = (extra: Loose) => ({ scenarios: { api: { executor: 'constant-arrival-rate', rate: 5, duration: '1s', preAllocatedVUs: 1, ...extra } } });
  const rv = (extra: Loose) => ({ scenarios: { ramp: { executor: 'ramping-vus', stages: [{ duration: '1s', target: 2 }], ...extra } } });
  const ec = (extra: Loose) => ({ scenarios: { ext: { executor: 'externally-controlled', duration: '1m', ...extra } } });
  const th = (thresholds: unknown) => ({ thresholds });

  it.each<[Loose, string, LoadtsError['code']]>([
    // top-level numbers
    [{ vus: -1, duration: '1s' }, 'invalid option vus (script): must be a non-negative integer, got -1', 'INVALID_OPTION'],
    [{ vus: 1.5, duration: '1s' }, 'invalid option vus (script): must be a non-negative integer, got 1.5', 'INVALID_OPTION'],
    [{ vus: 'ten', duration: '1s' }, 'invalid option vus (script): must be a non-negative integer, got "ten"', 'INVALID_OPTION'],
    [{ vus: 0, duration: '10s' }, 'invalid option vus (script): must be a positive integer, got 0', 'INVALID_OPTION'],
    [{ iterations: -2 }, 'invalid option iterations (script): must be a non-negative integer, got -2', 'INVALID_OPTION'],
    [{ iterations: 0 }, 'invalid option iterations (script): must be a positive integer, got 0', 'INVALID_OPTION'],
    [{ vus: 5, iterations: 2 }, 'invalid option iterations (script): 2 is fewer than vus (5): shared-iterations needs at least one iteration per VU', 'INVALID_OPTION'],
    [{ duration: '0s' }, 'invalid option duration (script): must be longer than 0s, got "0s"', 'INVALID_OPTION'],
    [{ duration: '1x' }, 'invalid duration for duration (script): "1x" has an unknown unit "x" (use e.g. 30s, 1m30s, 500ms)', 'INVALID_DURATION'],
    [{ iterations: 5, duration: -1 }, 'invalid duration for duration (script): -1 is negative', 'INVALID_DURATION'],
    // top-level stages
    [{ stages: '30s:10' }, 'invalid option stages (script): must be a list of { duration, target }, got "30s:10"', 'INVALID_OPTION'],
    [{ stages: [{ target: 5 }] }, 'invalid option stages[0].duration (script): required', 'INVALID_OPTION'],
    [{ stages: [{ duration: '1s', target: 1 }, { target: 5 }] }, 'invalid option stages[1].duration (script): required', 'INVALID_OPTION'],
    [{ stages: [{ duration: '1s' }] }, 'invalid option stages[0].target (script): required', 'INVALID_OPTION'],
    [{ stages: [{ duration: '1s', target: -1 }] }, 'invalid option stages[0].target (script): must be a non-negative integer, got -1', 'INVALID_OPTION'],
    [{ stages: [{ duration: '1s', target: 2.5 }] }, 'invalid option stages[0].target (script): must be a non-negative integer, got 2.5', 'INVALID_OPTION'],
    [{ stages: [{ duration: '1s', targte: 2 }] }, 'invalid option stages[0].targte (script): is not a stage field (a stage is { duration, target }) (did you mean target?)', 'INVALID_OPTION'],
    [{ stages: [{ duration: '0s', target: 5 }] }, 'invalid option stages (script): the stages last 0s in total; give at least one stage a duration', 'INVALID_OPTION'],
    [{ vus: 0, stages: [{ duration: '5s', target: 0 }] }, 'invalid option stages (script): either startVUs or one of the stage targets must be above 0', 'INVALID_OPTION'],
    [{ stages: [5] }, 'invalid option stages[0] (script): must be { duration, target }, got 5', 'INVALID_OPTION'],
    // scenarios
    [{ scenarios: 'x' }, 'invalid option scenarios (script): must be an object of name → scenario, got "x"', 'INVALID_SCENARIO'],
    [{ scenarios: { a: 5 } }, 'invalid option scenarios.a (script): must be an object with an executor, got 5', 'INVALID_SCENARIO'],
    [{ scenarios: { 'my scenario': { executor: 'shared-iterations' } } }, 'invalid option scenarios.my scenario (script): scenario names may contain only latin letters, digits, _ and -', 'INVALID_SCENARIO'],
    [{ scenarios: { a: {} } }, 'invalid option scenarios.a.executor (script): required (one of shared-iterations, per-vu-iterations, constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate, externally-controlled)', 'INVALID_SCENARIO'],
    [{ scenarios: { checkout: { executor: 'constant-rate' } } }, 'invalid option scenarios.checkout.executor (script): unknown executor "constant-rate" (expected one of shared-iterations, per-vu-iterations, constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate, externally-controlled)', 'INVALID_SCENARIO'],
    [{ scenarios: { a: { executor: 'shared-iteration' } } }, 'invalid option scenarios.a.executor (script): unknown executor "shared-iteration" (did you mean shared-iterations?) (expected one of', 'INVALID_SCENARIO'],
    [{ scenarios: { a: { executor: 'variable-looping-vus' } } }, 'invalid option scenarios.a.executor (script): "variable-looping-vus" was renamed "ramping-vus" in k6 v0.27', 'INVALID_SCENARIO'],
    [cv({ rate: 5 }), 'invalid option scenarios.a.rate (script): is not a parameter of constant-vus (rate belongs to constant-arrival-rate); it takes vus, duration, and startTime, gracefulStop, exec, env, tags', 'INVALID_SCENARIO'],
    [cv({ duraton: '1s' }), 'invalid option scenarios.a.duraton (script): is not a parameter of constant-vus (did you mean duration?)', 'INVALID_SCENARIO'],
    [cv({ vus: -2 }), 'invalid option scenarios.a.vus (script): must be a positive integer, got -2', 'INVALID_SCENARIO'],
    [cv({ duration: undefined }), 'invalid option scenarios.a.duration (script): required for constant-vus (how long the VUs loop, e.g. 30s)', 'INVALID_SCENARIO'],
    [cv({ startTime: '-1s' }), 'invalid duration for scenarios.a.startTime (script): "-1s" is negative', 'INVALID_DURATION'],
    [cv({ gracefulStop: 'soon' }), 'invalid duration for scenarios.a.gracefulStop (script): "soon"', 'INVALID_DURATION'],
    [cv({ exec: '' }), 'invalid option scenarios.a.exec (script): must be the name of an exported function, got ""', 'INVALID_SCENARIO'],
    [cv({ env: { A: {} } }), 'invalid option scenarios.a.env.A (script): must be a string, got {}', 'INVALID_SCENARIO'],
    [cv({ tags: 'x' }), 'invalid option scenarios.a.tags (script): must be an object of strings, got "x"', 'INVALID_SCENARIO'],
    [{ scenarios: { s: { executor: 'shared-iterations', vus: 10, iterations: 5 } } }, 'invalid option scenarios.s.iterations (script): 5 is fewer than vus (10)', 'INVALID_SCENARIO'],
    [{ scenarios: { s: { executor: 'shared-iterations', maxDuration: '0s' } } }, 'invalid option scenarios.s.maxDuration (script): must be longer than 0s, got "0s"', 'INVALID_SCENARIO'],
    [{ scenarios: { p: { executor: 'per-vu-iterations', iterations: 0 } } }, 'invalid option scenarios.p.iterations (script): must be a positive integer, got 0', 'INVALID_SCENARIO'],
    [car({ rate: undefined }), 'invalid option scenarios.api.rate (script): required for constant-arrival-rate (iterations started per timeUnit)', 'INVALID_SCENARIO'],
    [car({ rate: 0 }), 'invalid option scenarios.api.rate (script): must be a number above 0, got 0', 'INVALID_SCENARIO'],
    [car({ timeUnit: '0s' }), 'invalid option scenarios.api.timeUnit (script): must be longer than 0s, got "0s"', 'INVALID_SCENARIO'],
    [car({ preAllocatedVUs: undefined }), 'invalid option scenarios.api.preAllocatedVUs (script): required for constant-arrival-rate (VUs created before the start)', 'INVALID_SCENARIO'],
    [car({ preAllocatedVUs: 50, maxVUs: 10 }), 'invalid option scenarios.api.preAllocatedVUs (script): 50 exceeds maxVUs (10)', 'INVALID_SCENARIO'],
    [car({ preAllocatedVUs: 0 }), 'invalid option scenarios.api.maxVUs (script): must be at least 1 (with preAllocatedVUs and maxVUs both 0, no iteration can start)', 'INVALID_SCENARIO'],
    [car({ duration: undefined }), 'invalid option scenarios.api.duration (script): required for constant-arrival-rate', 'INVALID_SCENARIO'],
    [{ scenarios: { r: { executor: 'ramping-arrival-rate', preAllocatedVUs: 1 } } }, 'invalid option scenarios.r.stages (script): required for ramping-arrival-rate', 'INVALID_SCENARIO'],
    [{ scenarios: { r: { executor: 'ramping-arrival-rate', preAllocatedVUs: 1, startRate: -1, stages: [{ duration: '1s', target: 1 }] } } }, 'invalid option scenarios.r.startRate (script): must be a non-negative number, got -1', 'INVALID_SCENARIO'],
    [rv({ stages: [{ duration: '1s', target: 2 }, { target: 5 }] }), 'invalid option scenarios.ramp.stages[1].duration (script): required', 'INVALID_SCENARIO'],
    [rv({ stages: [] }), 'invalid option scenarios.ramp.stages (script): needs at least one stage', 'INVALID_SCENARIO'],
    [rv({ startVUs: -1 }), 'invalid option scenarios.ramp.startVUs (script): must be a non-negative integer, got -1', 'INVALID_SCENARIO'],
    [rv({ gracefulRampDown: '-5s' }), 'invalid duration for scenarios.ramp.gracefulRampDown (script): "-5s" is negative', 'INVALID_DURATION'],
    [ec({ gracefulStop: '-1s' }), 'invalid duration for scenarios.ext.gracefulStop (script): "-1s" is negative', 'INVALID_DURATION'],
    [ec({ vus: 5, maxVUs: 2 }), 'invalid option scenarios.ext.vus (script): 5 exceeds maxVUs (2)', 'INVALID_SCENARIO'],
    [ec({ duration: '0s' }), 'invalid option scenarios.ext.duration (script): must be longer than 0s', 'INVALID_SCENARIO'],
    [ec({ duration: undefined }), 'invalid option scenarios.ext.duration (script): required for externally-controlled', 'INVALID_SCENARIO'],
    // thresholds (shape only; expressions are parsed once the script is loaded)
    [th('p(95)<1'), 'invalid option thresholds (script): must be an object of metric → thresholds, got "p(95)<1"', 'INVALID_THRESHOLD'],
    [th({ x: [42] }), 'invalid option thresholds["x"][0] (script): must be an expression like "p(95)<200" or { threshold, abortOnFail, delayAbortEval }, got 42', 'INVALID_THRESHOLD'],
    [th({ x: [''] }), 'invalid option thresholds["x"][0] (script): is an empty expression', 'INVALID_THRESHOLD'],
    [th({ x: { abortOnFail: true } }), 'invalid option thresholds["x"].threshold (script): required: the expression, e.g. "p(95)<200", got undefined', 'INVALID_THRESHOLD'],
    [th({ x: [{ threshold: 'rate>0.9', abortOnFail: 'yes' }] }), 'invalid option thresholds["x"][0].abortOnFail (script): must be true or false, got "yes"', 'INVALID_THRESHOLD'],
    [th({ x: [{ threshold: 'rate>0.9', delayAbortEval: 'soon' }] }), 'invalid duration for thresholds["x"][0].delayAbortEval (script): "soon"', 'INVALID_DURATION'],
    [th({ '': ['rate>0'] }), 'invalid option thresholds[""] (script): the metric name is empty', 'INVALID_THRESHOLD'],
    // summary
    [{ summaryTrendStats: ['avg', 'p(200)'] }, 'invalid option summaryTrendStats[1] (script): invalid percentile "p(200)" (N in p(N) is a number from 0 to 100)', 'INVALID_OPTION'],
    [{ summaryTrendStats: ['sum'] }, 'invalid option summaryTrendStats[0] (script): unknown trend stat "sum" (use avg, min, med, max, count or p(N))', 'INVALID_OPTION'],
    [{ summaryTrendStats: ['p(x)'] }, 'invalid option summaryTrendStats[0] (script): invalid percentile "p(x)"', 'INVALID_OPTION'],
    [{ summaryTrendStats: 'avg' }, 'invalid option summaryTrendStats (script): must be a list like ["avg", "p(99)"], got "avg"', 'INVALID_OPTION'],
    [{ summaryTrendStats: [5] }, 'invalid option summaryTrendStats[0] (script): must be a string, got 5', 'INVALID_OPTION'],
    [{ summaryTimeUnit: 'h' }, 'invalid option summaryTimeUnit (script): must be s, ms or us, got "h"', 'INVALID_OPTION'],
    // everything else
    [{ setupTimeout: '0s' }, 'invalid option setupTimeout (script): must be longer than 0s, got "0s"', 'INVALID_OPTION'],
    [{ teardownTimeout: 'later' }, 'invalid duration for teardownTimeout (script): "later"', 'INVALID_DURATION'],
    [{ userAgent: 5 }, 'invalid option userAgent (script): must be a string, got 5', 'INVALID_OPTION'],
    [{ discardResponseBodies: 'yes' }, 'invalid option discardResponseBodies (script): must be true or false, got "yes"', 'INVALID_OPTION'],
    [{ noConnectionReuse: 1 }, 'invalid option noConnectionReuse (script): must be true or false, got 1', 'INVALID_OPTION'],
    [{ maxRedirects: -1 }, 'invalid option maxRedirects (script): must be a non-negative integer, got -1', 'INVALID_OPTION'],
    [{ batch: 0 }, 'invalid option batch (script): must be a positive integer, got 0', 'INVALID_OPTION'],
    [{ batchPerHost: 1.5 }, 'invalid option batchPerHost (script): must be a non-negative integer, got 1.5', 'INVALID_OPTION'],
    [{ maxResponseBodySize: '1 parsec' }, 'invalid option maxResponseBodySize (script): must be a size in bytes, or with a unit ("256MiB", "500MB", "64kB"), got "1 parsec"', 'INVALID_OPTION'],
    [{ tags: 5 }, 'invalid option tags (script): must be an object of name → value, got 5', 'INVALID_OPTION'],
    [{ tags: { a: [1] } }, 'invalid option tags.a (script): must be a string, got [1]', 'INVALID_OPTION'],
    [{ hosts: { 'api.local': '' } }, 'invalid option hosts["api.local"] (script): must be "ip" or "ip:port", got ""', 'INVALID_OPTION'],
    [{ executionSegment: '1/2:1/4' }, 'invalid option executionSegment (script): "1/2:1/4" starts at 1/2, which is not before its end 1/4', 'INVALID_OPTION'],
    [{ executionSegment: 7 }, 'invalid option executionSegment (script): must be a string, got 7', 'INVALID_OPTION'],
    [{ executionSegmentSequence: '0,1/2,1/3,1' }, 'invalid option executionSegmentSequence (script): "0,1/2,1/3,1" must increase, but 1/3 follows 1/2', 'INVALID_OPTION'],
    [{ executionSegment: '0:1/3', executionSegmentSequence: '0,1/2,1' }, "invalid option executionSegment (script): the execution segment 0:1/3 is not one of the sequence's segments (0:1/2, 1/2:1)", 'INVALID_OPTION'],
    [{ executionSegmentSequence: '0,1/2,1' }, "invalid option executionSegmentSequence (script): the execution segment 0:1 is not one of the sequence's segments (0:1/2, 1/2:1)", 'INVALID_OPTION'],
    [{ noColor: 'no' }, 'invalid option noColor (script): must be true or false, got "no"', 'INVALID_OPTION'],
    [{ tlsVersion: 'tls9' }, 'invalid option tlsVersion (script): must be one of tls1.0, tls1.1, tls1.2, tls1.3, got "tls9"', 'INVALID_OPTION'],
    [{ tlsVersion: { min: 'tls1.3', max: 'tls1.2' } }, 'invalid option tlsVersion (script): min tls1.3 is above max tls1.2', 'INVALID_OPTION'],
    [{ tlsAuth: [{ cert: 'x', key: 'y' }] }, 'invalid option tlsAuth[0].cert (script): must be a PEM certificate', 'INVALID_OPTION'],
  ])('%j', (options, message, code) => {
    const e = errorOf(() => resolve(script(options)));
    expect(e.message).toContain(message);
    expect(e.message).toContain('(script)');
    expect(e.message).not.toContain('\n');
    expect(e.code).toBe(code);
    expect(e.exitCode).toBe(104);
  });

  it('rejects a source that is not an object', () => {
    expect(() => resolve(layer('script', 5 as unknown as Loose))).toThrow('invalid options (script): must be an object, got 5');
  });

  describe('exec against the exported functions (only when they are known)', () => {
    const exported = (...names: string[]) => ({ exportedFunctions: new Set(names) });
    const withExec = (exec?: string) => script({ scenarios: { checkout: { executor: 'shared-iterations', ...(exec ? { exec } : {}) } } });

    it('accepts an exported function, and anything when exports are unknown', () => {
      expect(resolveOptions([withExec('checkout')], exported('checkout')).scenarios[0]?.exec).toBe('checkout');
      expect(resolveOptions([withExec('whatever')]).scenarios[0]?.exec).toBe('whatever');
      expect(resolveOptions([script({ iterations: 2 })], exported('default', 'setup')).scenarios[0]?.exec).toBe('default');
    });

    it.each<[OptionLayer, string[], string]>([
      [withExec('checkout'), ['default', 'browse'], 'invalid option scenarios.checkout.exec (script): the script does not export a function named "checkout"'],
      [withExec('checkuot'), ['default', 'checkout'], 'invalid option scenarios.checkout.exec (script): the script does not export a function named "checkuot" (did you mean checkout?)'],
      [withExec(), ['browse', 'setup'], 'invalid option scenarios.checkout.exec (script): not set, and the script has no default export function; set exec to one of its exported functions (browse)'],
      [script({ vus: 2, duration: '1s' }), ['browse'], 'invalid script: it has no default export function, which the default scenario runs; add "export default async function () { ... }" or define scenarios with exec'],
    ])('%#: %s', (l, names, message) => {
      const e = errorOf(() => resolveOptions([l], exported(...names)));
      expect(e.message).toBe(message);
      expect(e.code).toBe('INVALID_SCENARIO');
    });
  });
});

describe('normalised output', () => {
  it('thresholds: a string, an object, or a list of either; delayAbortEval in ms', () => {
    expect(
      resolve(
        script({
          thresholds: {
            http_req_duration: 'p(95)<200',
            'http_req_duration{status:200}': ['p(99)<300', 'max<1000'],
            checks: { threshold: 'rate>0.99', abortOnFail: true, delayAbortEval: '10s' },
            http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: false }, 'rate<0.05'],
            skipped: null,
          },
        }),
      ).thresholds,
    ).toEqual({
      http_req_duration: [{ source: 'p(95)<200', abortOnFail: false, delayAbortEvalMs: 0 }],
      'http_req_duration{status:200}': [
        { source: 'p(99)<300', abortOnFail: false, delayAbortEvalMs: 0 },
        { source: 'max<1000', abortOnFail: false, delayAbortEvalMs: 0 },
      ],
      checks: [{ source: 'rate>0.99', abortOnFail: true, delayAbortEvalMs: 10_000 }],
      http_req_failed: [
        { source: 'rate<0.01', abortOnFail: false, delayAbortEvalMs: 0 },
        { source: 'rate<0.05', abortOnFail: false, delayAbortEvalMs: 0 },
      ],
    });
  });

  it('execution segments in exact canonical form; a partial sequence filled to 0..1', () => {
    const r = resolve(script({ executionSegment: '50%:1', executionSegmentSequence: '0, 0.5, 1' }));
    expect([r.executionSegment, r.executionSegmentSequence]).toEqual(['1/2:1', '0,1/2,1']);
    const partial = resolve(script({ executionSegment: '1/3:2/3', executionSegmentSequence: '1/3,2/3' }));
    expect([partial.executionSegment, partial.executionSegmentSequence]).toEqual(['1/3:2/3', '0,1/3,2/3,1']);
    expect(resolve(script({ executionSegment: '1/2' })).executionSegment).toBe('0:1/2');
  });

  it('accepts k6 p(N) trend stats with decimals, and count', () => {
    expect(resolve(script({ summaryTrendStats: ['count', 'p(99.9)', 'p(0)', 'p(100)', 'med'] })).summaryTrendStats).toEqual(['count', 'p(99.9)', 'p(0)', 'p(100)', 'med']);
    expect(resolve(script({ summaryTrendStats: [] })).summaryTrendStats).toEqual([]);
  });

  it('accepts fractional arrival rates (k6 requires whole numbers; use timeUnit there)', () => {
    expect(resolve(script({ scenarios: { a: { executor: 'constant-arrival-rate', rate: 0.5, duration: '10s', preAllocatedVUs: 1 } } })).scenarios[0]).toMatchObject({ rate: 0.5 });
  });
});

describe('warnings', () => {
  it('unknown option names, with a suggestion', () => {
    expect(warningsOf(script({ vu: 3, duraton: '1s', stuff: 1 }))).toEqual([
      'unknown option vu (script) is ignored (did you mean vus?)',
      'unknown option duraton (script) is ignored (did you mean duration?)',
      'unknown option stuff (script) is ignored',
    ]);
  });

  it('k6 options loadts does not implement; k6 cloud metadata silently', () => {
    expect(warningsOf(script({ rps: 10, noSetup: true, ext: { loadimpact: {} }, cloud: {} }))).toEqual([
      'option rps (script) is a k6 option loadts does not support; it is ignored',
      'option noSetup (script) is a k6 option loadts does not support; it is ignored',
    ]);
  });

  it('a k6 browser options block in a scenario', () => {
    expect(warningsOf(script({ scenarios: { ui: { executor: 'shared-iterations', options: { browser: { type: 'chromium' } } } } }))).toEqual([
      'scenarios.ui.options (script) holds k6 browser settings, which loadts does not support; ignored',
    ]);
  });

  it('unknown threshold fields, which k6 ignores silently', () => {
    const { options, warnings } = resolveOptionsWithWarnings([script({ thresholds: { checks: [{ threshold: 'rate>0.9', abortOnFailure: true }] } })]);
    expect(options.thresholds.checks).toEqual([{ source: 'rate>0.9', abortOnFail: false, delayAbortEvalMs: 0 }]);
    expect(warnings).toEqual(['thresholds["checks"][0].abortOnFailure (script) is not a threshold field and is ignored (did you mean abortOnFail?)']);
  });

  it('none for a clean run', () => {
    expect(warningsOf(layer('config file c.yaml', { tags: { a: '1' } }), script({ vus: 2, duration: '5s', thresholds: { checks: ['rate>0.9'] } }), cli('-u', '3'))).toEqual([]);
  });
});
