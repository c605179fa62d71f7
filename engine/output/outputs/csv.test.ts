import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { csvRows, readCsv, textOf } from '../../../test/output-readers.js';
import { fileDestinations, outputConformance } from './conformance.js';
import { FixtureRun } from './conformance-fixture.js';
import { csvConfig } from './csv-config.js';
import { CSV_HEADER, csvField, csvOutput } from './csv.js';

outputConformance({ type: csvOutput, reports: ['samples', 'requests'], ...fileDestinations('results.csv.gz', (arg) => ({ arg }), readCsv) });

describe('csv output', () => {
  it("k6's header", () => {
    expect(CSV_HEADER).toBe('metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata');
  });

  it("fields quoted as Go's encoding/csv quotes them", () => {
    expect(['', 'plain', 'a,b', 'say "hi"', ' lead', 'x y', 'line\nbreak'].map(csvField)).toEqual(['', 'plain', '"a,b"', '"say ""hi"""', '" lead"', 'x y', '"line\nbreak"']);
  });

  const tz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = tz;
    if (tz === undefined) delete process.env.TZ;
  });

  async function write(arg: string, env: Record<string, string> = {}): Promise<{ path: string; run: FixtureRun }> {
    const dir = mkdtempSync(join(tmpdir(), 'loadts-csv-'));
    const output = csvOutput.create(arg.replace('DIR', dir), { cwd: dir, env });
    const run = new FixtureRun();
    await output.start(run.start);
    run.requestsIn(0, 10);
    for (const b of run.batches()) output.addSamples!(b);
    await output.stop(run.end());
    return { path: join(dir, 'out.csv'), run };
  }

  it('one row per sample: tags in their columns, the others in extra_tags, values with six decimals', async () => {
    const { path, run } = await write('DIR/out.csv');
    const rows = csvRows(path);
    expect(rows).toHaveLength(run.samples);
    const data = rows.find((r) => r.metric_name === 'data_received')!;
    expect(data).toMatchObject({ metric_value: '1234567.000000', method: 'GET', status: '200', expected_response: 'true', url: 'http://127.0.0.1/a?b=<c>&d', extra_tags: 'stage=0', metadata: '', check: '' });
    expect(Number(data.timestamp)).toBe(Math.floor(Date.now() / 1000) - (Math.floor(Date.now() / 1000) - Number(data.timestamp)));
    expect(Math.abs(Number(data.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const check = rows.find((r) => r.metric_name === 'checks')!;
    expect(check.check).toBe('is "ok", really');
    expect(textOf(path)).toContain(',"is ""ok"", really",');
  });

  it('time formats (K6_CSV_TIME_FORMAT or timeFormat=)', async () => {
    process.env.TZ = 'UTC';
    const stamp = async (arg: string, env: Record<string, string> = {}) => csvRows((await write(arg, env)).path)[0]!.timestamp!;
    expect(await stamp('fileName=DIR/out.csv,timeFormat=unix_milli')).toMatch(/^\d{13}$/);
    expect(await stamp('fileName=DIR/out.csv,timeFormat=unix_micro')).toMatch(/^\d{16}$/);
    expect(await stamp('fileName=DIR/out.csv,timeFormat=unix_nano')).toMatch(/^\d{16}000$/);
    expect(await stamp('DIR/out.csv', { K6_CSV_TIME_FORMAT: 'rfc3339' })).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await stamp('file_name=DIR/out.csv,time_format=RFC3339_NANO')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/);
  });

  it("options as k6 consolidates them: defaults < K6_CSV_* (LOADTS_CSV_* wins) < the argument", () => {
    expect(csvConfig(undefined, {})).toEqual({ fileName: 'file.csv', saveIntervalMs: 1000, timeFormat: 'unix' });
    expect(csvConfig('a.csv', { K6_CSV_SAVE_INTERVAL: '5s', K6_CSV_TIME_FORMAT: 'unix_nano', K6_CSV_FILENAME: 'x.csv' })).toEqual({ fileName: 'a.csv', saveIntervalMs: 5000, timeFormat: 'unix_nano' });
    expect(csvConfig(undefined, { K6_CSV_FILENAME: 'x.csv', LOADTS_CSV_FILENAME: 'y.csv' }).fileName).toBe('y.csv');
    expect(csvConfig('fileName=b.csv,saveInterval=250ms,timeFormat=rfc3339', {})).toEqual({ fileName: 'b.csv', saveIntervalMs: 250, timeFormat: 'rfc3339' });
    expect(csvConfig('saveInterval=1500', {}).saveIntervalMs).toBe(1500);
    expect(() => csvConfig('fileName=a.csv,colour=red', {})).toThrow('--out csv: unknown key "colour" (known: fileName, saveInterval, timeFormat)');
    expect(() => csvConfig('fileName=a.csv,timeFormat=', {})).toThrow(/cannot read "timeFormat=" .* as key=value/);
    expect(() => csvConfig('timeFormat=iso', {})).toThrow('--out csv timeFormat: time format must be one of unix, unix_milli, unix_micro, unix_nano, rfc3339, rfc3339_nano, got "iso"');
    expect(() => csvConfig(undefined, { K6_CSV_SAVE_INTERVAL: 'soon' })).toThrow(/^K6_CSV_SAVE_INTERVAL: save interval must be a duration/);
  });
});
