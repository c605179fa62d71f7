import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORD_FORMAT, RECORD_VERSION, type RunRecord } from '../engine/record/types.js';
import { fixtureDir, loadts, ROOT, testServer, type CliResult } from './helpers.js';
import { expectTrendIntervalsMergeExactly, finalTotals, intervalTotals, readRecordFile, schemaErrors } from './record-helpers.js';

/**
 * The run record end to end, through the built `loadts` command: a run against a loopback server
 * that counts what it receives writes --out record=FILE; the record's time series add up to its
 * final metrics exactly and to the server's count; `loadts summary` prints from it what the run
 * printed, and derives the same --summary-export; a run cut by Ctrl-C writes a complete record.
 */

const SCRIPT = `
  import http from 'k6/http';
  import { check, group, sleep } from 'k6';
  import { Counter, Gauge, Trend } from 'k6/metrics';

  const items = new Counter('items');
  const depth = new Gauge('depth');
  const spread = new Trend('spread');

  export const options = {
    scenarios: { main: { executor: 'constant-vus', vus: 4, duration: __ENV.DURATION || '2500ms' } },
    thresholds: {
      http_req_duration: ['p(95)<0.001'],
      checks: ['rate>0.9'],
      'http_req_duration{name:a}': ['max<10000'],
      items: ['count>0'],
    },
  };

  export default async function () {
    await group('shop', async () => {
      const res = await http.get(__ENV.TARGET + '/a', { tags: { name: 'a' } });
      check(res, { 'status 200': (r) => r.status === 200, 'never true': (r) => r.status === 201 });
    });
    if (__VU === 1 && __ITER === 40) console.log('forty iterations');
    items.add(2);
    depth.add(__VU);
    spread.add((__ITER % 7) - 3.5);
    await sleep(0.005);
  }
`;

describe('the run record', () => {
  let requests = 0;
  let server: Awaited<ReturnType<typeof testServer>>;
  let dir: string;
  let run: CliResult;
  let record: RunRecord;
  let serverCount: number;

  beforeAll(async () => {
    server = await testServer((_req, res) => {
      requests++;
      res.end('ok');
    });
    dir = fixtureDir({ 'script.ts': SCRIPT });
    run = await loadts(['run', '-q', '--workers', '2', '-e', `TARGET=${server.url}`, '--out', 'record=out/run.json', '--summary-export', 'export.json', 'script.ts'], { cwd: dir });
    serverCount = requests;
    record = readRecordFile(join(dir, 'out', 'run.json'));
  });
  afterAll(() => server.close());

  it('is written, with the run\'s end state (thresholds crossed: 99)', () => {
    expect(run.code, run.stderr).toBe(99);
    expect(record.format).toBe(RECORD_FORMAT);
    expect(record.version).toBe(`${RECORD_VERSION.major}.${RECORD_VERSION.minor}`);
    expect(record.end).toEqual({ state: 'completed', exitCode: 99, errors: [], warnings: [] }); // no generator-bound warning: the VUs wait for the network
    expect(record.script.path).toBe('script.ts'); // as the user named it
    expect(Date.parse(record.endedAt) - Date.parse(record.startedAt)).toBeGreaterThanOrEqual(record.durationMs);
    expect(record.durationMs).toBeGreaterThanOrEqual(2500);
    const crossed = record.thresholds.filter((t) => !t.ok).map((t) => `${t.metric} ${t.source}`);
    expect(crossed.sort()).toEqual(['checks rate>0.9', 'http_req_duration p(95)<0.001']);
    expect(record.thresholds.find((t) => t.source === 'rate>0.9')?.value).toBe(0.5);
    expect(record.rootGroup.groups.map((g) => g.name)).toEqual(['shop']);
    expect(record.rootGroup.groups[0]!.checks.map((c) => [c.name, c.passes > 0, c.fails > 0])).toEqual([
      ['status 200', true, false],
      ['never true', false, true],
    ]);
  });

  it('counts: the intervals of every series add up to the final count and to what the server received', () => {
    expect(serverCount).toBeGreaterThan(100);
    const httpReqs = intervalTotals(record, 'http_reqs');
    expect(finalTotals(record, 'http_reqs').sum).toBe(serverCount);
    expect(httpReqs.sum).toBe(serverCount);
    expect(httpReqs.points).toBeGreaterThanOrEqual(3); // 2.5 s of load over 1 s intervals
    for (const metric of ['iterations', 'items', 'data_sent', 'data_received']) {
      expect(intervalTotals(record, metric).sum, metric).toBe(finalTotals(record, metric).sum);
    }
    expect(finalTotals(record, 'iterations').sum).toBe(record.run.iterations.complete);
    expect(finalTotals(record, 'items').sum).toBe(2 * record.run.iterations.complete);
    for (const metric of ['checks', 'http_req_failed']) {
      const i = intervalTotals(record, metric);
      const f = finalTotals(record, metric);
      expect([i.passes, i.fails], metric).toEqual([f.passes, f.fails]);
    }
    expect(finalTotals(record, 'checks')).toEqual({ sum: 0, passes: serverCount, fails: serverCount });
  });

  it('trends: every series\' intervals merge to exactly its final HDR histogram (negative values too)', () => {
    // http_req_* per tag set, iteration_duration, group_duration, spread (negative and positive)
    expect(expectTrendIntervalsMergeExactly(record)).toBeGreaterThanOrEqual(9);
  });

  it('keeps every histogram as HdrHistogram\'s compressed V2, which other tools read (workers send theirs uncompressed)', () => {
    const all = [...record.metrics.series.map((s) => s.data), ...record.timeSeries.series.flatMap((s) => s.data)];
    let read = 0;
    for (const d of all) {
      if (d.type !== 'trend') continue;
      for (const encoded of [d.hdr, d.negHdr].filter((e) => e !== '')) {
        expect(decodeFromCompressedBase64(encoded, 64, false).totalCount).toBeGreaterThan(0);
        read++;
      }
    }
    expect(read).toBeGreaterThanOrEqual(20);
  });

  it('gauges: the intervals keep last, min and max; the last interval\'s value is the final one', () => {
    const final = record.metrics.series.find((s) => s.metric === 'depth')!.data;
    const points = record.timeSeries.series.find((s) => s.metric === 'depth')!.data;
    if (final.type !== 'gauge' || points.some((p) => p.type !== 'gauge')) throw new Error('not gauges');
    const gauges = points as Extract<(typeof points)[number], { type: 'gauge' }>[];
    expect(Math.min(...gauges.map((p) => p.min))).toBe(final.min);
    expect(Math.max(...gauges.map((p) => p.max))).toBe(final.max);
    const latest = gauges.reduce((a, b) => (b.lastAtMs >= a.lastAtMs ? b : a));
    expect([latest.value, latest.lastAtMs]).toEqual([final.value, final.lastAtMs]);
  });

  it('is valid against docs/record.schema.json, which documents every field it carries', () => {
    expect(schemaErrors(record)).toEqual([]);
    // the schema is not a formality: a field it does not know, or a wrong type, fails
    expect(schemaErrors({ ...record, undocumented: 1 })).toEqual(['/ must NOT have additional properties {"additionalProperty":"undocumented"}']);
    expect(schemaErrors({ ...record, durationMs: '3s' }).join()).toMatch(/durationMs must be number/);
    // readers see a newer minor version's fields as extra, and the published schema lets them by
    expect(schemaErrors({ ...record, version: '1.9', addedLater: true }, false)).toEqual([]);
  });

  it('points are in order, inside the run, on the record\'s interval grid', () => {
    const { originMs, intervalMs } = record.timeSeries;
    expect(Math.floor(originMs)).toBe(Date.parse(record.startedAt)); // the series start with the run
    expect(intervalMs).toBe(1000);
    for (const s of record.timeSeries.series) {
      expect(s.index.length).toBe(s.data.length);
      expect([...s.index].sort((a, b) => a - b)).toEqual(s.index);
      expect(new Set(s.index).size).toBe(s.index.length);
      expect(originMs + s.index.at(-1)! * intervalMs).toBeLessThanOrEqual(Date.parse(record.endedAt));
    }
  });

  it('loadts summary prints exactly what the run printed, and derives the same --summary-export', async () => {
    expect(run.stdout).toContain('THRESHOLDS');
    const again = await loadts(['summary', 'out/run.json', '--summary-export', 'again.json'], { cwd: dir });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(run.stdout);
    const legacy = await loadts(['summary', '--summary-mode', 'legacy', 'out/run.json'], { cwd: dir });
    expect(legacy.stdout).toMatch(/✗ checks\.+: 50\.00%/);
    expect(readFileSync(join(dir, 'again.json'), 'utf8')).toBe(readFileSync(join(dir, 'export.json'), 'utf8'));
  });

  it('carries the environment: the machine, the versions, the generator\'s CPU and memory; so does --summary-export', () => {
    const env = record.environment;
    const exported = JSON.parse(readFileSync(join(dir, 'export.json'), 'utf8'));
    expect(exported.loadts.environment).toEqual(env);
    expect(exported.loadts.warnings).toEqual([]);
    expect(env.cpu.logicalCores).toBe(cpus().length);
    expect(env.cpu.model.length).toBeGreaterThan(0);
    expect(env.memory.totalBytes).toBe(totalmem());
    expect(env.memory.freeBytesAtStart).toBeGreaterThan(0);
    expect(env.memory.freeBytesAtStart).toBeLessThanOrEqual(env.memory.totalBytes);
    expect(env.node).toBe(process.version);
    expect(env.loadts).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect(env.loadts).toBe(record.loadtsVersion);
    expect(env.os.platform).toBe(process.platform);
    expect(env.loadAverage.start).toHaveLength(3);
    expect(env.hostname.length).toBeGreaterThan(0);
    expect(env.generator.processCpuMs).toBeGreaterThan(0);
    expect(env.generator.peakRssBytes).toBeGreaterThan(20 * 2 ** 20);
    if (process.platform === 'linux') {
      expect(env.generator.workers.map((w) => w.worker)).toEqual([0, 1]);
      for (const w of env.generator.workers) {
        for (const share of [w.cpuShare, w.peakCpuShare]) {
          expect(share).toBeGreaterThanOrEqual(0);
          expect(share).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('a reader refuses a newer major version and a file that is not a record, in one line (104)', async () => {
    const newer = { ...record, version: `${RECORD_VERSION.major + 1}.0` };
    writeFileSync(join(dir, 'newer.json'), JSON.stringify(newer));
    writeFileSync(join(dir, 'minor.json'), JSON.stringify({ ...record, version: `${RECORD_VERSION.major}.${RECORD_VERSION.minor + 7}`, addedLater: { x: 1 } }));
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ metrics: {} }));
    writeFileSync(join(dir, 'text.json'), 'not json at all');
    const cases: Array<[string, RegExp]> = [
      ['newer.json', new RegExp(`^error: \\S+newer\\.json is a version ${RECORD_VERSION.major + 1}\\.0 record, newer than this loadts reads \\(${RECORD_VERSION.major}\\.x\\): upgrade loadts`)],
      ['other.json', /^error: \S+other\.json is not a loadts run record \(write one with --out record=FILE\)$/],
      ['export.json', /^error: \S+export\.json is not a loadts run record/],
      ['text.json', /^error: \S+text\.json is not JSON: /],
      ['missing.json', /^error: cannot read run record \S+missing\.json: ENOENT$/],
    ];
    for (const [file, message] of cases) {
      const r = await loadts(['summary', file], { cwd: dir });
      expect(r.code, file).toBe(104);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n'), file).toHaveLength(1);
      expect(r.stderr.trimEnd()).toMatch(message);
    }
    // a newer minor version only adds fields: it reads
    const minor = await loadts(['summary', 'minor.json'], { cwd: dir });
    expect(minor.code).toBe(0);
    expect(minor.stdout).toBe(run.stdout);
  });
});

describe('the run record of a run cut short by Ctrl-C', () => {
  it('is complete and valid (gzip), says how the run ended, and re-prints the legacy summary', async () => {
    let requests = 0;
    const server = await testServer((_req, res) => {
      requests++;
      res.end('ok');
    });
    try {
      const dir = fixtureDir({ 'script.ts': SCRIPT });
      let sent = false;
      const args = ['run', '-q', '--workers', '2', '--summary-mode', 'legacy', '-e', `TARGET=${server.url}`, '-e', 'DURATION=60s'];
      const run = await loadts([...args, '--out', 'record=run.json.gz', '--summary-export', 'export.json', 'script.ts'], {
        cwd: dir,
        onStdout: (all, kill) => {
          if (sent || !all.includes('forty iterations')) return;
          sent = true;
          kill('SIGINT');
        },
      });
      expect(run.code, run.stderr).toBe(105);
      const bytes = readFileSync(join(dir, 'run.json.gz'));
      expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
      const record = readRecordFile(join(dir, 'run.json.gz'));
      expect(record.end).toMatchObject({ state: 'interrupted', exitCode: 105 });
      expect(record.durationMs).toBeLessThan(30_000);
      expect(finalTotals(record, 'http_reqs').sum).toBe(requests);
      expect(intervalTotals(record, 'http_reqs').sum).toBe(requests);
      expect(intervalTotals(record, 'iterations').sum).toBe(finalTotals(record, 'iterations').sum);
      expect(expectTrendIntervalsMergeExactly(record)).toBeGreaterThanOrEqual(9);
      expect(schemaErrors(record)).toEqual([]);

      expect(run.stdout).toMatch(/✗ checks\.+: 50\.00%/); // the legacy summary
      expect(record.run.summaryMode).toBe('legacy');
      const again = await loadts(['summary', 'run.json.gz', '--summary-export', 'again.json'], { cwd: dir }); // in the run's mode
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toBe(run.stdout);
      expect(readFileSync(join(dir, 'again.json'), 'utf8')).toBe(readFileSync(join(dir, 'export.json'), 'utf8'));
    } finally {
      await server.close();
    }
  });
});

describe('the run record of a run whose setup() fails', () => {
  it('is written and valid: no load, the state and the error, setup\'s own requests in the series', async () => {
    let requests = 0;
    const server = await testServer((_req, res) => {
      requests++;
      res.end('ok');
    });
    try {
      const dir = fixtureDir({
        'script.ts': `
          import http from 'k6/http';
          export async function setup() {
            await http.get(__ENV.TARGET + '/setup');
            throw new Error('no token');
          }
          export default async function () {}
        `,
      });
      const r = await loadts(['run', '-q', '-e', `TARGET=${server.url}`, '--out', 'record=run.json', 'script.ts'], { cwd: dir });
      expect(r.code).toBe(107);
      const record = readRecordFile(join(dir, 'run.json'));
      expect(schemaErrors(record)).toEqual([]);
      expect(record.end).toMatchObject({ state: 'setup-failed', exitCode: 107 });
      expect(record.end.errors.join('\n')).toMatch(/no token/);
      expect(record.durationMs).toBe(0);
      expect(record.run.loadStartedAtMs).toBeUndefined();
      expect(requests).toBe(1);
      expect(intervalTotals(record, 'http_reqs').sum).toBe(1);
      const again = await loadts(['summary', 'run.json'], { cwd: dir });
      expect(again.stdout).toBe(r.stdout);
    } finally {
      await server.close();
    }
  });
});
