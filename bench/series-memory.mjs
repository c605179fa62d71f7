#!/usr/bin/env node
// The time series' memory on a long run: drives the real TimeSeriesStore (dist/) through a
// simulated 24-hour run at 1 s intervals with 50 series (30 trends of ~1,000 latency samples a
// second, 20 counters and rates) and reports the coordinator's heap after a full GC at 1 h, 6 h and
// 24 h. `npm run bench -- --only series` runs it (in a child process with --expose-gc);
// `node --expose-gc bench/series-memory.mjs [--hours 24] [--keeper spill|memory] [--json out.json]`
// alone. The closed points go where a run's coordinator keeps them (`spill`: a temporary file,
// point-keeper.ts) or, with `--keeper memory`, on the heap (as `loadts merge` keeps them).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { seededRandom as rng } from '../dist/stats/random.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TRENDS = 30;
const COUNTERS = 10;
const RATES = 10;
const SAMPLES_PER_SECOND = 1000;
/** Distinct one-second histograms per trend, drawn at random each second (latency drifting ±40%). */
const POOL = 64;
const MARKS_H = [1, 6, 24];

/** Runs the simulation in a child process (a fresh heap, with --expose-gc); returns its figures. */
export function seriesMemory({ hours = 24, keeper = 'spill', log = (s) => process.stderr.write(`${s}\n`) } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', '--hours', String(hours), '--keeper', keeper], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`series memory bench exited with ${code}`));
      const figures = JSON.parse(out);
      const mib = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;
      const b = figures.baseline;
      const rows = figures.marks.map(
        (m) =>
          `| ${m.hours} h | ${m.points} | ${m.intervalS} s | ${mib(m.storeBytes)} | ${mib(m.fileBytes)} (${m.compactions} compactions) | ${mib(m.heapUsed - b.heapUsed + m.arrayBuffers - b.arrayBuffers)} | ${mib(m.heapUsed)} | ${mib(m.rss - b.rss)} | ${m.maxCloseMs.toFixed(0)} ms (${m.maxCloseCpuMs.toFixed(0)} ms CPU) | ${m.elapsedS.toFixed(0)} s |`,
      );
      console.log(
        `\n### Time series memory (closed points in ${keeper === 'spill' ? 'a spill file' : 'memory'}; simulated ${hours} h at 1 s, ${TRENDS} trends × ${SAMPLES_PER_SECOND} samples/s, ${COUNTERS + RATES} counters/rates)\n\n` +
          `| run time | points per series | interval | closed points (store.bytes) | spill file | store's memory (heap + arrays) | coordinator heap | RSS growth | longest close | bench time |\n|---|---|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n\n` +
          `record's timeSeries at the end: ${mib(figures.record.jsonBytes)} JSON, ${mib(figures.record.gzipBytes)} gzip; CPU per simulated second: ${figures.cpuPerSecondUs.toFixed(0)} µs`,
      );
      log(`  series memory: ${figures.marks.map((m) => `${m.hours} h ${mib(m.heapUsed - figures.baseline.heapUsed + m.arrayBuffers - figures.baseline.arrayBuffers)}`).join(', ')}`);
      resolve(figures);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The child: the simulation itself.

/** A log-normal latency, ms: median `med`, a long right tail (σ 0.6), and 0.5% slow outliers (×5-20). */
function latency(random, med) {
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const v = med * Math.exp(0.6 * z);
  return random() < 0.005 ? v * (5 + 15 * random()) : v;
}

/** Each trend: a pool of one-second snapshots as a worker sends them (encoded, 32-bit). */
function makeTrends(random, { newHistogram, encodeHistogram, TREND_SCALE }) {
  const trends = [];
  for (let t = 0; t < TRENDS; t++) {
    const med = 2 + 300 * random() ** 2; // medians from 2 ms to ~300 ms
    const pool = [];
    for (let p = 0; p < POOL; p++) {
      const h = newHistogram(32);
      const m = med * (0.6 + 0.8 * random());
      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < SAMPLES_PER_SECOND; i++) {
        const v = latency(random, m);
        h.recordValue(Math.round(v * TREND_SCALE));
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      const data = { type: 'trend', count: SAMPLES_PER_SECOND, sum, min, max, hdr: encodeHistogram(h), negHdr: '' };
      pool.push({ data, positive: undefined, negative: undefined }); // the store merges the encoded data
    }
    trends.push({ metric: `trend_${t}`, key: `name=endpoint-${t}`, tags: { name: `endpoint-${t}` }, pool });
  }
  return trends;
}

/** One second of the run: what the workers report at its end, for every series. */
function addSecond(store, trends, random, atMs) {
  for (const t of trends) {
    const d = t.pool[Math.floor(random() * POOL)];
    store.add({ metric: t.metric, key: t.key, tags: t.tags, data: d.data }, d, atMs);
  }
  const plain = (data) => ({ data, positive: undefined, negative: undefined });
  for (let i = 0; i < COUNTERS; i++) {
    const data = { type: 'counter', sum: 900 + Math.floor(200 * random()) };
    store.add({ metric: `counter_${i}`, key: '', tags: {}, data }, plain(data), atMs);
  }
  for (let i = 0; i < RATES; i++) {
    const fails = Math.floor(10 * random());
    const data = { type: 'rate', passes: 1000 - fails, fails };
    store.add({ metric: `rate_${i}`, key: '', tags: {}, data }, plain(data), atMs);
  }
}

/** store.close(), timed: the coordinator's event loop is blocked that long. */
function timedClose(store, atMs, second, longest) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  store.close(atMs);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  longest.ms = Math.max(longest.ms, ms);
  longest.cpuMs = Math.max(longest.cpuMs, cpuMs);
  if ((ms > 100 || cpuMs > 50) && process.env.SERIES_BENCH_TRACE) process.stderr.write(`  close at ${second} s: ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU\n`);
}

/** The store's figures after a full GC. */
function mark(store, keeper, second, longest, started) {
  globalThis.gc();
  const m = process.memoryUsage();
  process.stderr.write(`  ${second / 3600} h simulated: heap ${(m.heapUsed / 2 ** 20).toFixed(1)} MiB\n`);
  return {
    hours: second / 3600,
    points: Math.max(...store.series().map((x) => x.index.length)),
    intervalS: store.intervalMs / 1000,
    storeBytes: store.bytes,
    fileBytes: keeper.fileBytes ?? 0,
    compactions: keeper.compactions ?? 0,
    heapUsed: m.heapUsed,
    arrayBuffers: m.arrayBuffers,
    rss: m.rss,
    maxCloseMs: longest.ms,
    maxCloseCpuMs: longest.cpuMs,
    elapsedS: (performance.now() - started) / 1000,
  };
}

async function child(hours, keeperName) {
  const { TimeSeriesStore } = await import(join(ROOT, 'dist', 'metrics', 'time-series.js'));
  const { MemoryKeeper, SpillKeeper } = await import(join(ROOT, 'dist', 'metrics', 'point-keeper.js'));
  const hdr = await import(join(ROOT, 'dist', 'metrics', 'hdr.js'));
  const { TREND_SCALE } = await import(join(ROOT, 'dist', 'metrics', 'types.js'));
  const random = rng(42);
  const trends = makeTrends(random, { ...hdr, TREND_SCALE });
  const originMs = 1_800_000_000_000;
  const keeper = keeperName === 'memory' ? new MemoryKeeper() : new SpillKeeper();
  const store = new TimeSeriesStore({ originMs, keeper });
  globalThis.gc();
  const baseline = process.memoryUsage();
  const marks = [];
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const seconds = hours * 3600;
  const longest = { ms: 0, cpuMs: 0 };
  for (let s = 0; s < seconds; s++) {
    const atMs = originMs + (s + 1) * 1000; // the workers' report at the interval's end
    addSecond(store, trends, random, atMs);
    timedClose(store, atMs + 250, s, longest);
    if (MARKS_H.includes((s + 1) / 3600) || s + 1 === seconds) marks.push(mark(store, keeper, s + 1, longest, started));
  }
  const cpu = process.cpuUsage(cpu0);
  store.close(Infinity);
  const json = JSON.stringify({ originMs: store.originMs, intervalMs: store.intervalMs, series: store.series() });
  const figures = {
    hours,
    series: TRENDS + COUNTERS + RATES,
    baseline: { heapUsed: baseline.heapUsed, arrayBuffers: baseline.arrayBuffers, rss: baseline.rss },
    marks: marks.filter((m, i, a) => a.findIndex((x) => x.hours === m.hours) === i),
    record: { jsonBytes: json.length, gzipBytes: gzipSync(json).length },
    cpuPerSecondUs: (cpu.user + cpu.system) / seconds,
  };
  store.dispose();
  process.stdout.write(JSON.stringify(figures));
}

const argv = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
if (argv.includes('--child')) await child(Number(arg('hours', 24)), arg('keeper', 'spill'));
else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await seriesMemory({ hours: Number(arg('hours', 24)), keeper: arg('keeper', 'spill') });
  const out = arg('json');
  if (out) writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
}
