import { describe, expect, it } from 'vitest';
import { createOutputs, OUTPUT_TYPES, outputSpecsFromEnv, parseOutputSpec } from './index.js';

describe('--out NAME[=ARG] and K6_OUT', () => {
  it("has k6's json, csv, experimental-prometheus-rw and web-dashboard, and junit, record and report", () => {
    expect(OUTPUT_TYPES.map((t) => t.name)).toEqual(['record', 'json', 'csv', 'junit', 'experimental-prometheus-rw', 'web-dashboard', 'report']);
    expect(OUTPUT_TYPES.filter((t) => t.wantsSamples).map((t) => t.name)).toEqual(['json', 'csv']);
  });

  it('splits at the first "=", as k6', () => {
    expect(parseOutputSpec('csv=fileName=a.csv,timeFormat=unix', '--out')).toEqual({ name: 'csv', arg: 'fileName=a.csv,timeFormat=unix', source: '--out' });
    expect(parseOutputSpec('json', '--out')).toEqual({ name: 'json', arg: undefined, source: '--out' });
  });

  it('refuses unknown names, and names k6 outputs loadts does not have, in one line', () => {
    expect(() => parseOutputSpec('jsn=a.json', '--out')).toThrow('--out "jsn": no such output (did you mean json?) (loadts has record, json, csv, junit, experimental-prometheus-rw, web-dashboard, report)');
    expect(() => parseOutputSpec('influxdb=http://x', 'K6_OUT')).toThrow('K6_OUT influxdb: a k6 output loadts does not have (loadts has record, json, csv, junit, experimental-prometheus-rw, web-dashboard, report)');
    expect(() => parseOutputSpec('statsd', '--out')).toThrow(/a k6 output loadts does not have/);
  });

  it('K6_OUT / LOADTS_OUT: a comma starts a new output only before an output name', () => {
    expect(outputSpecsFromEnv({ K6_OUT: 'json=a.json,csv=fileName=b.csv,timeFormat=rfc3339' })).toEqual([
      { name: 'json', arg: 'a.json', source: 'K6_OUT' },
      { name: 'csv', arg: 'fileName=b.csv,timeFormat=rfc3339', source: 'K6_OUT' },
    ]);
    expect(outputSpecsFromEnv({ K6_OUT: 'json=a.json', LOADTS_OUT: 'junit=j.xml' })).toEqual([{ name: 'junit', arg: 'j.xml', source: 'LOADTS_OUT' }]);
    expect(outputSpecsFromEnv({ K6_OUT: ' ' })).toEqual([]);
  });

  it("checks each output's argument when it is made (before any load)", () => {
    expect(() => createOutputs([{ name: 'junit', arg: undefined, source: '--out' }], { cwd: '/', env: {} })).toThrow('--out junit needs a file name: --out junit=junit.xml');
    expect(() => createOutputs([{ name: 'csv', arg: 'timeFormat=iso8601', source: '--out' }], { cwd: '/', env: {} })).toThrow(/time format must be one of/);
    const made = createOutputs([{ name: 'csv', arg: undefined, source: '--out' }], { cwd: '/tmp', env: {} });
    expect(made[0]!.output.description).toBe('csv (file.csv)'); // k6's default file name
  });
});
