import { describe, expect, it } from 'vitest';
import { environmentLayer, optionsFromEnv, runSettingsFromEnv } from './env.js';
import { resolveOptions } from './resolve.js';

describe('optionsFromEnv: LOADTS_* and k6 K6_* variables', () => {
  it('reads every variable in its k6 text form', () => {
    const env = {
      LOADTS_VUS: '5',
      LOADTS_DURATION: '30s',
      LOADTS_ITERATIONS: '100',
      LOADTS_STAGES: '30s:10, 1m:20',
      LOADTS_SUMMARY_TREND_STATS: 'avg, p(99),p(99.9)',
      LOADTS_SUMMARY_TIME_UNIT: 'ms',
      LOADTS_USER_AGENT: 'my-agent/1.0',
      LOADTS_DISCARD_RESPONSE_BODIES: 'true',
      LOADTS_NO_CONNECTION_REUSE: '1',
      LOADTS_NO_VU_CONNECTION_REUSE: 'TRUE',
      LOADTS_INSECURE_SKIP_TLS_VERIFY: 't',
      LOADTS_NO_COOKIES_RESET: 'yes',
      LOADTS_MAX_REDIRECTS: '3',
      LOADTS_BATCH: '10',
      LOADTS_BATCH_PER_HOST: '2',
      LOADTS_NO_COLOR: 'false',
      LOADTS_SETUP_TIMEOUT: '2m',
      LOADTS_TEARDOWN_TIMEOUT: '45s',
      LOADTS_EXECUTION_SEGMENT: '0:1/2',
      LOADTS_EXECUTION_SEGMENT_SEQUENCE: '0,1/2,1',
      LOADTS_TAGS: 'team=qa,env:staging,url=http://x:80/a',
      LOADTS_HOSTS: 'test.local=127.0.0.1:8080',
    };
    expect(optionsFromEnv(env)).toEqual({
      vus: 5,
      duration: '30s',
      iterations: 100,
      stages: [
        { duration: '30s', target: 10 },
        { duration: '1m', target: 20 },
      ],
      summaryTrendStats: ['avg', 'p(99)', 'p(99.9)'],
      summaryTimeUnit: 'ms',
      userAgent: 'my-agent/1.0',
      discardResponseBodies: true,
      noConnectionReuse: true,
      noVUConnectionReuse: true,
      insecureSkipTLSVerify: true,
      noCookiesReset: true,
      maxRedirects: 3,
      batch: 10,
      batchPerHost: 2,
      noColor: false,
      setupTimeout: '2m',
      teardownTimeout: '45s',
      executionSegment: '0:1/2',
      executionSegmentSequence: '0,1/2,1',
      tags: { team: 'qa', env: 'staging', url: 'http://x:80/a' },
      hosts: { 'test.local': '127.0.0.1:8080' },
    });
  });

  it('reads K6_* names so k6 CI jobs keep working; LOADTS_* wins', () => {
    expect(optionsFromEnv({ K6_VUS: '5', K6_DURATION: '3s', K6_TAGS: 'a:1' })).toEqual({ vus: 5, duration: '3s', tags: { a: '1' } });
    expect(optionsFromEnv({ K6_VUS: '5', LOADTS_VUS: '6' }).vus).toBe(6);
    expect(optionsFromEnv({ LOADTS_VUS: '6', K6_VUS: '5' }).vus).toBe(6);
  });

  it('ignores unrelated and empty variables', () => {
    expect(optionsFromEnv({ PATH: '/bin', LOADTS_VUS: '', K6_DURATION: '  ', VUS: '3' })).toEqual({});
  });

  it('reads a plain-number duration as milliseconds, as k6 does for K6_DURATION', () => {
    expect(resolveOptions([{ source: 'environment', options: optionsFromEnv({ K6_DURATION: '1500' }) }]).scenarios[0]).toMatchObject({
      executor: 'constant-vus',
      durationMs: 1500,
    });
  });

  it.each([
    [{ LOADTS_VUS: 'ten' }, /^invalid environment variable LOADTS_VUS: "ten" is not a whole number$/],
    [{ K6_ITERATIONS: '1.5' }, /^invalid environment variable K6_ITERATIONS: "1.5" is not a whole number$/],
    [{ LOADTS_NO_COLOR: 'maybe' }, /^invalid environment variable LOADTS_NO_COLOR: "maybe" is not true or false$/],
    [{ LOADTS_DURATION: '10 parsecs' }, /^invalid duration for environment variable LOADTS_DURATION: "10 parsecs"/],
    [{ K6_STAGES: '30s' }, /^invalid environment variable K6_STAGES: stage "30s" is not DURATION:TARGET/],
    [{ K6_STAGES: '30s:x' }, /^invalid environment variable K6_STAGES: "x" is not a whole number/],
    [{ K6_STAGES: 'forever:10' }, /^invalid duration for environment variable K6_STAGES: "forever"/],
    [{ LOADTS_TAGS: 'novalue' }, /^invalid environment variable LOADTS_TAGS: "novalue" is not KEY=VALUE/],
    [{ LOADTS_SETUP_TIMEOUT: '-1s' }, /LOADTS_SETUP_TIMEOUT: "-1s" is negative/],
  ] as Array<[Record<string, string>, RegExp]>)('%j → an error naming the variable', (env, message) => {
    expect(() => optionsFromEnv(env)).toThrow(message);
    try {
      optionsFromEnv(env);
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).toBe(104);
    }
  });
});

describe('environmentLayer', () => {
  it('labels each option with its variable, so validation errors name it', () => {
    const layer = environmentLayer({ K6_VUS: '-3', K6_DURATION: '10s' });
    expect(layer.source).toBe('environment');
    expect(layer.sources).toEqual({ vus: 'environment variable K6_VUS', duration: 'environment variable K6_DURATION' });
    expect(() => resolveOptions([layer])).toThrow('invalid option vus (environment variable K6_VUS): must be a non-negative integer, got -3');
  });
});

describe('runSettingsFromEnv', () => {
  it("reads k6's run settings that are flags in loadts", () => {
    expect(runSettingsFromEnv({ K6_NO_THRESHOLDS: 'true', K6_NO_SUMMARY: '0', K6_SUMMARY_EXPORT: 'out.json', LOADTS_CONFIG: 'c.yaml', K6_CONFIG: 'k.json' })).toEqual({
      noThresholds: true,
      noSummary: false,
      summaryExport: 'out.json',
      configPath: 'c.yaml',
    });
    expect(() => runSettingsFromEnv({ K6_NO_SUMMARY: 'nah' })).toThrow(/K6_NO_SUMMARY: "nah" is not true or false/);
  });
});
