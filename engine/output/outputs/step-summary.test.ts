import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readStepSummary, stepSummaries } from '../../../test/output-readers.js';
import { stepSummaryMarkdown } from '../step-summary-markdown.js';
import { fileDestinations, outputConformance } from './conformance.js';
import { FixtureRun } from './conformance-fixture.js';
import { stepSummaryEntry, stepSummaryOutput } from './step-summary.js';

outputConformance({ type: stepSummaryOutput, reports: ['requests', 'state', 'thresholds'], ...fileDestinations('summary.md', (path) => ({ env: { GITHUB_STEP_SUMMARY: path } }), readStepSummary) });

describe('step summary', () => {
  it('is added when GITHUB_STEP_SUMMARY is set, unless turned off', () => {
    expect(stepSummaryEntry({ cwd: '/', env: {} }, false)).toBeUndefined();
    expect(stepSummaryEntry({ cwd: '/', env: { GITHUB_STEP_SUMMARY: ' ' } }, false)).toBeUndefined();
    expect(stepSummaryEntry({ cwd: '/', env: { GITHUB_STEP_SUMMARY: '/tmp/s.md' } }, true)).toBeUndefined();
    expect(stepSummaryEntry({ cwd: '/', env: { GITHUB_STEP_SUMMARY: '/tmp/s.md' } }, false)?.output.description).toBe('step-summary (GITHUB_STEP_SUMMARY=/tmp/s.md)');
  });

  it('thresholds passed and crossed, key metrics, the per-stage table and the environment, as Markdown tables', async () => {
    const run = new FixtureRun();
    run.requestsIn(0, 40);
    run.requestsIn(1, 60);
    const { record } = run.end();
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const path = join(mkdtempSync(join(tmpdir(), 'loadts-step-')), 's.md');
    writeFileSync(path, stepSummaryMarkdown(record));
    const [parsed] = stepSummaries(path);
    expect(parsed!.heading).toBe('loadts `fixture.ts`: ❌ 2 thresholds crossed'); // http_req_failed and checks: one in ten fails
    expect(parsed!.state).toBe('completed');
    const thresholds = parsed!.tables.get('Thresholds')!;
    expect(thresholds.rows.map((r) => [r[0]!.text, r[1]!.text, r[2]!.text])).toEqual(record.thresholds.map((t) => [t.ok ? '✅' : '❌', `\`${t.metric}\``, `\`${t.source}\``]));
    expect(thresholds.rows.find((r) => r[1]!.text === '`http_req_failed`')![3]!.text).toBe('10.00%');
    const metrics = Object.fromEntries(parsed!.tables.get('Key metrics')!.rows.map((r) => [r[0]!.text, r[1]!.text]));
    expect(metrics['HTTP requests']).toBe('100 (50.0/s)');
    expect(metrics['failed requests']).toBe('10.00% (10 of 100)');
    expect(metrics.http_req_duration).toMatch(/^p50 [\d.]+ms · p95 [\d.]+ms · p99 [\d.]+ms · max [\d.]+ms$/);
    expect(metrics.checks).toBe('90.00% passed (90 of 100)');
    const stages = parsed!.tables.get('Per stage')!;
    expect(stages.header.map((h) => h.text)).toEqual(['scenario', 'stage', 'load', 'reqs/s', 'iters/s', 'p50', 'p95', 'p99', 'errors', 'VUs']);
    expect(stages.rows.map((r) => [r[1]!.text, r[2]!.text, r[3]!.text])).toEqual([
      ['0', '1→2 VUs', '40.0'],
      ['1', '2→2 VUs', '60.0'],
    ]);
    const env = Object.fromEntries(parsed!.tables.get('Environment')!.rows.map((r) => [r[0]!.text, r[1]!.text]));
    expect(env.loadts).toBe(`${record.environment.loadts} on Node.js ${process.version}`);
    expect(Object.keys(env)).toEqual(['loadts', 'host', 'OS', 'CPU', 'memory', 'load average', 'generator']);
    expect(readFileSync(path, 'utf8')).not.toContain('undefined');
  });

  it('a cell with a pipe stays one cell; errors and warnings are listed', () => {
    const run = new FixtureRun();
    run.requestsIn(0, 5);
    const { record } = run.end();
    record.thresholds = [{ metric: 'my_rate{name:a|b}', source: 'rate>0.5', ok: false, value: 0.25, abortOnFail: false }];
    record.end = { state: 'interrupted', exitCode: 105, errors: ['output json (x.json) failed: ENOSPC'], warnings: ['worker 0 was above 90% of a core'] };
    const md = stepSummaryMarkdown(record);
    expect(md).toContain('## loadts `fixture.ts`: ⚠️ interrupted');
    expect(md).toContain('- error: output json (x.json) failed: ENOSPC\n- warning: worker 0 was above 90% of a core');
    expect(md).toContain('| ❌ | `my_rate{name:a\\|b}` | `rate>0.5` | 0.25 |');
  });
});
