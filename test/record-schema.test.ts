import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../engine/record/types.js';
import { capServer, fixtureDir, freePort, loadts, type CliResult } from './helpers.js';
import { startCoordinator, startInstance } from './fleet-helpers.js';
import { readRecordFile, schemaErrors } from './record-helpers.js';

/**
 * Every kind of run record loadts writes validates against docs/record.schema.json in the closed
 * mode (a field the schema does not document fails), with its 1.1 fields present: a capacity
 * search's (capacity, loadLevels of levels), a ramping run's with --watch-cmd (target, loadLevels
 * of stages with targetRssBytes, stages' startMs, the generator's CPU timeline), a fleet
 * coordinator's and its instances' (fleet), and `loadts merge`'s of the instances' records, whole
 * and partial (fleet.missingSegments). test/run-record.test.ts covers a plain run. The commands run
 * at once, against one loopback server, in about 8 s.
 */

const CAPACITY = `
  import http from 'loadts/http';
  export default async function () { await http.get(__ENV.BASE_URL + '/cap'); }
`;

const RAMP = `
  import http from 'loadts/http';
  export const options = {
    scenarios: { ramp: { executor: 'ramping-arrival-rate', startRate: 20, timeUnit: '1s', preAllocatedVUs: 5, stages: [{ duration: '3500ms', target: 40 }, { duration: '3500ms', target: 40 }] } },
    thresholds: { http_req_duration: ['p(95)<2000'], http_req_failed: ['rate<0.5'] },
  };
  export default async function () { await http.get(__ENV.BASE_URL + '/w'); }
`;

/** The watched target: a server of its own, started by loadts (--watch-cmd) on the port given. */
const TARGET = `
  import { createServer } from 'node:http';
  createServer((_req, res) => res.end('ok')).listen(Number(process.argv[2]), '127.0.0.1');
`;

const FLEET = `
  import http from 'loadts/http';
  import { check } from 'loadts';
  export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 2, iterations: 40 } }, thresholds: { http_req_duration: ['p(95)<2000'] } };
  export function setup() { return { token: 'abc' }; }
  export default async function () { check(await http.get(__ENV.BASE_URL + '/f'), { ok: (r) => r.status === 200 }); }
`;

const INSTANCES = [0, 1, 2];
const SEGMENTS = ['0:1/3', '1/3:2/3', '2/3:1'];

function expectOk(r: CliResult, what: string): void {
  expect(r.code, `${what}: ${r.stderr}`).toBe(0);
}

describe('every kind of run record validates against the schema', () => {
  let srv: Awaited<ReturnType<typeof capServer>>;
  const dir = fixtureDir({ 'cap.ts': CAPACITY, 'ramp.ts': RAMP, 'target.mjs': TARGET, 'fleet.ts': FLEET });
  const read = (file: string): RunRecord => readRecordFile(join(dir, file));

  async function capacity(): Promise<void> {
    const args = ['capacity', '--model', 'closed', '--slo', 'http_req_duration: p(95)<60', '--level-duration', '500ms', '--warmup', '0s', '--max-levels', '4', '--no-step-summary', '--out', 'record=cap.json', 'cap.ts'];
    const r = await loadts(args, { cwd: dir, env: { BASE_URL: srv.url } });
    expect([0, 99], r.stderr).toContain(r.code); // 99: no level passed (a very busy machine); the record is what matters
  }

  async function watched(): Promise<void> {
    const port = await freePort();
    const cmd = `"${process.execPath}" "${join(dir, 'target.mjs')}" ${port}`;
    expectOk(await loadts(['run', '-q', '--watch-cmd', cmd, '-e', `BASE_URL=http://127.0.0.1:${port}`, '--out', 'record=watch.json', 'ramp.ts'], { cwd: dir }), 'run --watch-cmd');
  }

  async function fleet(): Promise<void> {
    const { proc, url } = await startCoordinator(['--instances', '3', '-q', '-e', `BASE_URL=${srv.url}`, '--out', 'record=fleet.json', 'fleet.ts'], { cwd: dir });
    const results = await Promise.all([proc.result, ...INSTANCES.map((i) => startInstance(url, i, { cwd: dir }).result)]);
    results.forEach((r, i) => expectOk(r, i === 0 ? 'coordinator' : `instance ${i - 1}`));
    expectOk(await loadts(['merge', ...INSTANCES.map((i) => `instance-${i}.json`), '-o', 'merged.json'], { cwd: dir }), 'merge');
    expectOk(await loadts(['merge', '--allow-partial', 'instance-0.json', 'instance-2.json', '-o', 'partial.json'], { cwd: dir }), 'merge --allow-partial');
  }

  beforeAll(async () => {
    srv = await capServer();
    await Promise.all([capacity(), watched(), fleet()]);
  }, 90_000);
  afterAll(() => srv?.close());

  it('loadts capacity: the search (capacity) and its levels (loadLevels, sorted by load)', () => {
    const rec = read('cap.json');
    expect(schemaErrors(rec)).toEqual([]);
    const cap = rec.capacity!;
    expect(cap).toMatchObject({ model: 'closed', unit: 'VUs', slos: [{ metric: 'http_req_duration', source: 'p(95)<60' }] });
    expect(cap.settings).toMatchObject({ start: 1, maxLevels: 4, integer: true, levelDurationMs: 500, warmupMs: 0 });
    expect(cap.levels.length).toBeGreaterThanOrEqual(1);
    expect(rec.loadLevels!.map((l) => l.load.value)).toEqual(cap.levels.map((l) => l.load.value).sort((a, b) => a - b));
    for (const l of cap.levels) {
      expect(l.label).toMatch(/^level \d+$/);
      expect(l.p95).toBeGreaterThan(0);
      expect(l.slos).toHaveLength(1);
      expect(['pass', 'fail']).toContain(l.verdict);
    }
    expect(cap.verdict.length).toBeGreaterThan(0);
  });

  it('loadts run --watch-cmd of a ramping test: target, the stages as load levels, the CPU timeline', () => {
    const rec = read('watch.json');
    expect(schemaErrors(rec)).toEqual([]);
    const t = rec.target!;
    expect(t.command).toMatch(/target\.mjs/);
    expect(t.samples.atMs.length).toBeGreaterThanOrEqual(5);
    for (const k of ['rssBytes', 'cpuPercent', 'fds', 'threads'] as const) expect(t.samples[k]).toHaveLength(t.samples.atMs.length);
    if (t.leak.verdict !== 'unknown') expect(t.leak.interval).toHaveLength(2);
    expect(rec.stages.map((s) => [s.stage, s.startMs])).toEqual([
      [0, 0],
      [1, 3500],
    ]);
    const [first, second] = rec.loadLevels!;
    expect(first).toMatchObject({ label: 'ramp stage 0', load: { unit: 'iterations/s', value: 40, from: 20 } });
    expect(second!.load).toEqual({ unit: 'iterations/s', value: 40 });
    expect(first!.targetRssBytes).toBeGreaterThan(0);
    expect(first!.slos).toHaveLength(2);
    expect(rec.test!.bundleSha256).toMatch(/^[0-9a-f]{64}$/);
    const timeline = rec.environment.generator.timeline!;
    expect(timeline.shares).toHaveLength(timeline.atMs.length);
    if (process.platform === 'linux') {
      expect(timeline.atMs.length).toBeGreaterThanOrEqual(5);
      expect(timeline.shares.every((s) => s.length === rec.run.workers)).toBe(true);
      expect(first!.generatorCpu).toBeGreaterThanOrEqual(0);
    }
  });

  it('a 1.0 record, without the 1.1 fields, is valid; a 1.1 record without what 1.1 always writes is not', () => {
    const older = structuredClone(read('watch.json')) as unknown as Record<string, any>;
    for (const k of ['loadLevels', 'test', 'target']) delete older[k];
    delete older.environment.generator.timeline;
    for (const s of older.stages) delete s.startMs;
    delete older.options.tlsCipherSuites;
    delete older.options.maxResponseBodySize;
    expect(schemaErrors({ ...older, version: '1.0' })).toEqual([]);
    expect(schemaErrors({ ...older, version: '1.1' })).toEqual([
      "/stages/0 must have required property 'startMs' {\"missingProperty\":\"startMs\"}",
      "/stages/1 must have required property 'startMs' {\"missingProperty\":\"startMs\"}",
      "/options must have required property 'tlsCipherSuites' {\"missingProperty\":\"tlsCipherSuites\"}",
      "/options must have required property 'maxResponseBodySize' {\"missingProperty\":\"maxResponseBodySize\"}",
      '/ must match "else" schema {"failingKeyword":"else"}',
    ]);
  });

  it('a fleet coordinator (fleet.parts) and its instances', () => {
    const rec = read('fleet.json');
    expect(schemaErrors(rec)).toEqual([]);
    expect(rec.fleet!.missingSegments).toEqual([]);
    expect(rec.fleet!.parts.map((p) => [p.index, p.segment, p.state, p.workers])).toEqual(INSTANCES.map((i) => [i, SEGMENTS[i], 'done', 1]));
    expect(rec.run.workers).toBe(3);
    expect(rec.setupData).toEqual({ token: 'abc' });
    for (const file of INSTANCES.map((i) => `instance-${i}.json`)) {
      const part = read(file);
      expect(schemaErrors(part), file).toEqual([]);
      expect(part.test).toEqual(rec.test);
    }
  });

  it('loadts merge of the instances\' records, whole and partial (fleet.missingSegments)', () => {
    const merged = read('merged.json');
    expect(schemaErrors(merged)).toEqual([]);
    expect(merged.fleet!.parts.map((p) => [p.name, p.segment, p.state])).toEqual(INSTANCES.map((i) => [`instance-${i}.json`, SEGMENTS[i], 'completed']));
    expect(merged.fleet!.missingSegments).toEqual([]);
    const partial = read('partial.json');
    expect(schemaErrors(partial)).toEqual([]);
    expect(partial.fleet!.missingSegments).toEqual(['1/3:2/3']);
    expect(partial.end.warnings[0]).toMatch(/^partial result: segment 1\/3:2\/3 of the test is missing/);
  });
});
