import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjsonLines, readNdjson, textOf } from '../../../test/output-readers.js';
import type { MetricDef } from '../../metrics/types.js';
import { resolveOptions } from '../../options/resolve.js';
import { fileDestinations, outputConformance } from './conformance.js';
import { FixtureRun } from './conformance-fixture.js';
import { jsonOutput, metricLine } from './json.js';

outputConformance({ type: jsonOutput, reports: ['samples', 'requests'], ...fileDestinations('results.ndjson.gz', (arg) => ({ arg }), readNdjson) });

const trend: MetricDef = { name: 'http_req_duration', type: 'trend', contains: 'time' };

describe('json output', () => {
  it("Metric lines as k6 writes them: thresholds on the metric's name, sub-metrics from thresholds", () => {
    const { thresholds } = resolveOptions([
      {
        source: 'script',
        options: { thresholds: { http_req_duration: ['p(95)<500', { threshold: 'max<9000', abortOnFail: true, delayAbortEval: '10s' }, { threshold: 'avg<1', abortOnFail: true }], 'http_req_duration{ status : 200 }': ['p(99)<1000'], my_counter: ['count>1'] } },
      },
    ]);
    expect(metricLine(trend, thresholds)).toBe(
      '{"type":"Metric","data":{"name":"http_req_duration","type":"trend","contains":"time",' +
        '"thresholds":["p(95)<500",{"threshold":"max<9000","abortOnFail":true,"delayAbortEval":"10s"},{"threshold":"avg<1","abortOnFail":true,"delayAbortEval":null}],' +
        '"submetrics":[{"name":"http_req_duration{ status : 200 }","suffix":"status : 200","tags":{"status":"200"}},' +
        '{"name":"http_req_duration{expected_response:true}","suffix":"expected_response:true","tags":{"expected_response":"true"}}]},"metric":"http_req_duration"}\n',
    );
    expect(metricLine({ name: 'my_counter', type: 'counter', contains: 'default' }, thresholds)).toBe(
      '{"type":"Metric","data":{"name":"my_counter","type":"counter","contains":"default","thresholds":["count>1"],"submetrics":null},"metric":"my_counter"}\n',
    );
    expect(metricLine({ name: 'vus', type: 'gauge', contains: 'default' }, {})).toBe(
      '{"type":"Metric","data":{"name":"vus","type":"gauge","contains":"default","thresholds":[],"submetrics":null},"metric":"vus"}\n',
    );
  });

  it('Point lines as k6 writes them, one per sample, each metric declared once before its first point', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'loadts-json-')), 'out.json');
    const output = jsonOutput.create(path, { cwd: '/', env: {} });
    const run = new FixtureRun();
    await output.start(run.start);
    run.requestsIn(0, 20);
    for (const b of run.batches()) output.addSamples!(b);
    await output.stop(run.end());
    const lines = ndjsonLines(path);
    expect(lines.filter((l) => l.type === 'Point')).toHaveLength(run.samples);
    expect(lines.filter((l) => l.type === 'Metric').map((l) => l.metric)).toEqual(['http_reqs', 'http_req_duration', 'http_req_waiting', 'http_req_failed', 'data_received', 'checks', 'iterations']);
    const raw = textOf(path).split('\n');
    const point = raw.find((l) => l.startsWith('{"metric":"data_received"'))!;
    expect(point).toMatch(
      /^\{"metric":"data_received","type":"Point","data":\{"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)","value":1234567,"tags":\{"expected_response":"true","group":"","method":"GET","name":"http:\/\/127\.0\.0\.1\/a\?b=\\u003cc\\u003e\\u0026d","proto":"HTTP\/1\.1","scenario":"default","stage":"0","status":"200","url":"http:\/\/127\.0\.0\.1\/a\?b=\\u003cc\\u003e\\u0026d"\}\}\}$/,
    );
    const check = lines.find((l) => l.metric === 'checks' && l.type === 'Point')!;
    expect(check.data.tags).toEqual({ check: 'is "ok", really', group: '', scenario: 'default', stage: '0' });
    const times = lines.filter((l) => l.type === 'Point').map((l) => Date.parse(l.data.time!));
    expect(Math.min(...times)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('--out json with no file (or -) writes to stdout; no stdout: a one-line error', () => {
    expect(() => jsonOutput.create(undefined, { cwd: '/', env: {} })).toThrow(/^--out json needs a file name/);
    expect(jsonOutput.create('-', { cwd: '/', env: {}, stdout: process.stdout }).description).toBe('json (stdout)');
    expect(jsonOutput.create(' out.json ', { cwd: '/tmp', env: {} }).description).toBe('json (out.json)');
  });
});
