import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSummaryData, pathId } from './summary-data.js';
import { SUMMARY_EXPORT_VERSION, summaryExport, summaryExportJSON, writeSummaryExport } from './summary-export.js';
import { sampleInput } from './fixtures.js';

describe('summaryExport (k6 legacy --summary-export)', () => {
  const data = buildSummaryData(sampleInput({ setupData: { token: 'abc' } }));
  const out = summaryExport(data);

  it("has k6 top-level keys: root_group, metrics, setup_data; no options or state; then loadts's and the shape's version", () => {
    expect(Object.keys(out)).toEqual(['root_group', 'metrics', 'setup_data', 'loadts', 'version']);
    expect(out.version).toBe(1);
    expect(out.loadts.version).toBe(1);
    expect(out.setup_data).toEqual({ token: 'abc' });
  });

  it('flattens trends to their stats (avg, min, med, max, p(90), p(95))', () => {
    expect(out.metrics.http_req_receiving).toEqual({ avg: 0.66396, min: 0.12846, med: 0.75982, max: 1.66, 'p(90)': 1.3, 'p(95)': 1.46 });
  });

  it('flattens counters to count, rate and gauges to value, min, max', () => {
    expect(out.metrics.http_reqs).toEqual({ count: 180, rate: 4.369384 });
    expect(out.metrics.vus).toEqual({ value: 1, min: 1, max: 19 });
  });

  it('writes rates as passes, fails, value (k6 renames rate to value)', () => {
    expect(out.metrics.checks).toEqual({ passes: 45, fails: 45, value: 0.5 });
    expect(out.metrics.checks).not.toHaveProperty('rate');
  });

  it('writes thresholds as { source: true when FAILED }, the inverse of handleSummary ok', () => {
    expect(out.metrics.http_req_duration!.thresholds).toEqual({ 'p(95)<500': false, 'avg<100': true });
    expect(out.metrics.http_req_failed).toEqual({ passes: 0, fails: 180, thresholds: { 'rate<0.01': false }, value: 0 });
    expect(out.metrics['http_req_duration{status:200}']!.thresholds).toEqual({ 'p(95)<250': false });
    expect(out.metrics.http_reqs).not.toHaveProperty('thresholds');
  });

});

describe('summaryExport: root_group and loadts', () => {
  const data = buildSummaryData(sampleInput({ setupData: { token: 'abc' } }));
  const out = summaryExport(data);

  it('keys groups and checks by name in root_group, recursively, with k6 paths and ids', () => {
    expect(out.root_group).toEqual({
      name: '',
      path: '',
      id: 'd41d8cd98f00b204e9800998ecf8427e',
      groups: {
        cart: {
          name: 'cart',
          path: '::cart',
          id: pathId('::cart'),
          groups: {
            checkout: {
              name: 'checkout',
              path: '::cart::checkout',
              id: pathId('::cart::checkout'),
              groups: {},
              checks: { paid: { name: 'paid', path: '::cart::checkout::paid', id: pathId('::cart::checkout::paid'), passes: 3, fails: 0 } },
            },
          },
          checks: { added: { name: 'added', path: '::cart::added', id: pathId('::cart::added'), passes: 2, fails: 1 } },
        },
        browse: { name: 'browse', path: '::browse', id: pathId('::browse'), groups: {}, checks: {} },
      },
      checks: {
        'status is 200': { name: 'status is 200', path: '::status is 200', id: pathId('::status is 200'), passes: 10, fails: 0 },
        'body ok': { name: 'body ok', path: '::body ok', id: pathId('::body ok'), passes: 30, fails: 44 },
      },
    });
  });

  it('puts loadts facts, the shape version and the run duration under loadts', () => {
    expect(out.loadts).toMatchObject({ version: SUMMARY_EXPORT_VERSION, state: 'completed', workers: 2, testRunDurationMs: 41_200, iterations: { complete: 45, interrupted: 0 } });
    const bare = summaryExport(buildSummaryData(sampleInput({ extras: undefined })));
    expect(bare.loadts).toEqual({ version: SUMMARY_EXPORT_VERSION, testRunDurationMs: 41_200 });
    expect(bare).not.toHaveProperty('setup_data');
  });

  it('does not touch the handleSummary data it came from', () => {
    const before = JSON.stringify(data);
    const copy = summaryExport(data);
    copy.metrics.checks!.value = 42;
    expect(JSON.stringify(data)).toBe(before);
    expect(data.metrics.checks!.values.rate).toBe(0.5);
  });

});

describe('the --summary-export file', () => {
  const data = buildSummaryData(sampleInput({ setupData: { token: 'abc' } }));
  const out = summaryExport(data);

  it('serializes as k6 writes the file (summary-wrapper.js): four-space indentation, no newline after it', () => {
    const json = summaryExportJSON(data);
    expect(json.startsWith('{\n    "root_group": {\n        "name": "",')).toBe(true);
    expect(json.endsWith('\n}')).toBe(true);
    expect(JSON.parse(json)).toEqual(out);
  });

  it('is written by writeSummaryExport, folders created, exactly summaryExportJSON', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'loadts-export-')), 'a', 'b', 'summary.json');
    await writeSummaryExport(path, data);
    expect(readFileSync(path, 'utf8')).toBe(summaryExportJSON(data));
  });
});
