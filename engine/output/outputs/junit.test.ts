import { describe, expect, it } from 'vitest';
import { junitCases, readJUnit } from '../../../test/output-readers.js';
import { fileDestinations, outputConformance } from './conformance.js';
import { FixtureRun } from './conformance-fixture.js';
import { junitOutput, thresholdCases } from './junit.js';

outputConformance({ type: junitOutput, reports: ['thresholds'], ...fileDestinations('junit.xml', (arg) => ({ arg }), readJUnit) });

describe('junit output', () => {
  it('one test case per threshold; a crossed one fails with the value it was judged on', () => {
    const run = new FixtureRun();
    run.requestsIn(0, 50);
    const record = run.end().record;
    const cases = thresholdCases(record);
    expect(cases.map((c) => c.name)).toEqual(record.thresholds.map((t) => `${t.metric} - ${t.source}`));
    const failed = record.thresholds.find((t) => t.metric === 'http_req_failed')!;
    expect(failed.ok).toBe(false); // one request in ten fails: rate<0.01 is crossed
    const c = cases.find((x) => x.name === 'http_req_failed - rate<0.01')!;
    expect(c.failure?.message).toBe(`http_req_failed threshold rate<0.01 crossed: rate was ${Number(failed.value!.toPrecision(6))}`);
    const p95 = cases.find((x) => x.name === 'http_req_duration - p(95)<500')!;
    expect(p95.failure).toBeUndefined();
  });

  it('a time threshold shows its unit; one without samples says so', () => {
    const run = new FixtureRun();
    run.requestsIn(0, 50);
    const record = run.end().record;
    record.thresholds.push({ metric: 'http_req_duration{status:200}', source: 'p(99)<1', ok: false, value: 23.456789, abortOnFail: false });
    record.thresholds.push({ metric: 'checks', source: 'rate>0.99', ok: false, abortOnFail: true });
    const cases = thresholdCases(record);
    expect(cases.at(-2)!.failure!.message).toBe('http_req_duration{status:200} threshold p(99)<1 crossed: p(99) was 23.4568ms');
    expect(cases.at(-1)!.failure!.message).toBe('checks threshold rate>0.99 crossed: no value (the metric got no samples)');
    expect(cases.at(-1)!.failure!.detail).toContain('abortOnFail');
  });

  it('the report is valid XML with names escaped', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const path = join(mkdtempSync(join(tmpdir(), 'loadts-junit-')), 'j.xml');
    const output = junitOutput.create(path, { cwd: '/', env: {} });
    const run = new FixtureRun();
    run.requestsIn(0, 10);
    const end = run.end();
    end.record.thresholds.push({ metric: 'my_trend{name:<a & "b">}', source: 'p(95)<1', ok: false, value: 2, abortOnFail: false });
    await output.start(run.start);
    await output.stop(end);
    const cases = junitCases(path);
    expect(cases.at(-1)).toEqual({ name: 'my_trend{name:<a & "b">} - p(95)<1', failure: { message: 'my_trend{name:<a & "b">} threshold p(95)<1 crossed: p(95) was 2', text: 'p(95) was 2' } });
  });
});
