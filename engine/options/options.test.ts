import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from './config-file.js';
import { formatDuration, parseDuration } from './duration.js';
import { optionsFromEnv } from './env.js';
import { resolveOptions, type OptionLayer } from './resolve.js';
import type { Options } from './types.js';

const layer = (source: string, options: Options): OptionLayer => ({ source, options });
const resolve = (...layers: OptionLayer[]) => resolveOptions(layers);

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['2h', 7_200_000],
    ['100us', 0.1],
    ['1d', 86_400_000],
    ['0', 0],
    [250, 250],
  ])('%j → %d ms', (input, ms) => expect(parseDuration(input, 'x')).toBe(ms));
  it.each(['', '10', '-5s', '10 parsecs', '1x', 'abc'])('rejects %j', (input) => {
    expect(() => parseDuration(input, 'duration (script)')).toThrow(/invalid duration for duration \(script\)/);
  });
  it('formats', () => {
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(500)).toBe('500ms');
    expect(formatDuration(0)).toBe('0s');
  });
});

describe('precedence: defaults < config < script < env < flags', () => {
  it('each source overrides the one below', () => {
    const o = resolve(
      layer('config file c.yaml', { vus: 1, duration: '1s', userAgent: 'config', tags: { a: 'config' } }),
      layer('script', { vus: 2, userAgent: 'script' }),
      layer('environment', optionsFromEnv({ LOADTS_VUS: '3' })),
      layer('command line', { vus: 4 }),
    );
    expect(o.scenarios).toEqual([expect.objectContaining({ name: 'default', executor: 'constant-vus', vus: 4, durationMs: 1000 })]);
    expect(o.userAgent).toBe('script');
    expect(o.tags).toEqual({ a: 'config' });
  });
  it('CLI shortcuts replace script scenarios; script scenarios replace config shortcuts', () => {
    const scenarios = { s: { executor: 'constant-vus' as const, vus: 2, duration: '5s' } };
    expect(resolve(layer('script', { scenarios }), layer('command line', { vus: 9, duration: '2s' })).scenarios).toEqual([
      expect.objectContaining({ name: 'default', vus: 9, durationMs: 2000 }),
    ]);
    expect(resolve(layer('config file c.json', { vus: 9, duration: '2s' }), layer('script', { scenarios })).scenarios).toEqual([
      expect.objectContaining({ name: 's', vus: 2, durationMs: 5000 }),
    ]);
  });
  it('K6_ variables work, LOADTS_ wins', () => {
    expect(optionsFromEnv({ K6_VUS: '5', K6_DURATION: '3s' })).toEqual({ vus: 5, duration: '3s' });
    expect(optionsFromEnv({ K6_VUS: '5', LOADTS_VUS: '6' }).vus).toBe(6);
    expect(optionsFromEnv({ LOADTS_STAGES: '10s:5,20s:0' }).stages).toEqual([{ duration: '10s', target: 5 }, { duration: '20s', target: 0 }]);
    expect(() => optionsFromEnv({ LOADTS_VUS: 'ten' })).toThrow(/LOADTS_VUS: "ten" is not a whole number/);
  });
});

describe('shortcuts map to a default scenario as in k6', () => {
  it.each([
    [{}, { executor: 'shared-iterations', vus: 1, iterations: 1 }],
    [{ vus: 3, iterations: 30 }, { executor: 'shared-iterations', vus: 3, iterations: 30, maxDurationMs: 600_000 }],
    [{ vus: 3, duration: '10s' }, { executor: 'constant-vus', vus: 3, durationMs: 10_000 }],
    [{ iterations: 10, duration: '10s' }, { executor: 'shared-iterations', iterations: 10, maxDurationMs: 10_000 }],
    [{ vus: 2, stages: [{ duration: '5s', target: 10 }] }, { executor: 'ramping-vus', startVUs: 2, stages: [{ durationMs: 5000, target: 10 }] }],
  ] as Array<[Options, Record<string, unknown>]>)('%j', (opts, want) => {
    expect(resolve(layer('script', opts)).scenarios[0]).toMatchObject({ name: 'default', gracefulStopMs: 30_000, exec: 'default', ...want });
  });
});

describe('validation: one clear message per mistake, naming the option and its source', () => {
  const bad = (options: Options, message: RegExp, exported?: string[]) =>
    expect(() => resolveOptions([layer('script', options)], exported ? { exportedFunctions: new Set(exported) } : {})).toThrow(message);
  it.each([
    [{ vus: -1 }, /invalid option vus \(script\): must be a non-negative integer, got -1/],
    [{ scenarios: { a: { executor: 'constant-rate', duration: '1s' } } } as unknown as Options, /scenarios\.a\.executor \(script\): unknown executor "constant-rate" \(expected one of shared-iterations/],
    [{ scenarios: { a: { executor: 'constant-arrival-rate', duration: '1s', preAllocatedVUs: 1 } } } as unknown as Options, /scenarios\.a\.rate \(script\): required for constant-arrival-rate/],
    [{ scenarios: { a: { executor: 'constant-vus', vus: -2, duration: '1s' } } }, /scenarios\.a\.vus \(script\): must be an integer ≥ 1, got -2/],
    [{ scenarios: { a: { executor: 'ramping-vus', stages: [{ target: 5 }] } } } as unknown as Options, /scenarios\.a\.stages\[0\]\.duration \(script\): required/],
    [{ scenarios: { a: { executor: 'constant-arrival-rate', rate: 5, duration: '1s', preAllocatedVUs: 50, maxVUs: 10 } } }, /scenarios\.a\.preAllocatedVUs \(script\): 50 exceeds maxVUs \(10\)/],
    [{ scenarios: { a: { executor: 'constant-vus', duration: '1s', rate: 5 } } } as unknown as Options, /scenarios\.a\.rate \(script\): not a parameter of constant-vus/],
    [{ scenarios: {}, duration: '1s' }, /scenarios cannot be combined with duration/],
    [{ stages: [{ duration: '1s', target: 1 }], duration: '1s' }, /stages .*cannot be combined with duration or iterations/],
    [{ summaryTrendStats: ['avg', 'p(200)'] }, /summaryTrendStats \(script\): invalid trend stat "p\(200\)"/],
    [{ thresholds: { x: [42] } } as unknown as Options, /thresholds\["x"\]\[0\] \(script\): must be a string/],
    [{ executionSegment: '1/2:1/4' }, /executionSegment \(script\)/],
  ] as Array<[Options, RegExp]>)('%j', (options, message) => bad(options, message));
  it('checks exec against the exported functions', () => {
    bad({ scenarios: { a: { executor: 'constant-vus', duration: '1s', exec: 'checkout' } } }, /scenarios\.a\.exec \(script\): the script does not export a function named "checkout"/, ['default']);
  });
});

describe('config files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loadts-cfg-'));
  it('reads YAML and JSON', async () => {
    writeFileSync(join(dir, 'c.yaml'), 'vus: 3\nduration: 10s\nthresholds:\n  http_req_duration: ["p(95)<100"]\n');
    expect(await loadConfigFile(join(dir, 'c.yaml'))).toEqual({ vus: 3, duration: '10s', thresholds: { http_req_duration: ['p(95)<100'] } });
    writeFileSync(join(dir, 'c.json'), '{"options": {"iterations": 5}}');
    expect(await loadConfigFile(join(dir, 'c.json'))).toEqual({ iterations: 5 });
  });
  it('says where a file is broken', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'vus: 3\n  duration: [\n');
    await expect(loadConfigFile(join(dir, 'bad.yaml'))).rejects.toThrow(/invalid YAML in config file .*bad\.yaml:\d+:\d+/);
    await expect(loadConfigFile(join(dir, 'missing.json'))).rejects.toThrow(/cannot read config file .*missing\.json: ENOENT/);
  });
});
