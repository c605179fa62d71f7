#!/usr/bin/env node
// loadts benchmark suite: `npm run bench [-- --quick] [-- --rounds 5 --duration 10 --json out.json --only throughput,memory]`,
// `npm run bench -- --soak-only [--soak-minutes 3] [--no-soak-peer]` (the soak: bench/soak.mjs),
// `npm run bench -- --only series [--series-hours 24]` (the time series' memory: bench/series-memory.mjs).
// Compares loadts with autocannon (npm) and wrk (Debian, when installed) against the same loopback
// target in the same run, alternating tools round by round, and prints medians and ratios.
// Target: nginx when installed (`apt-get install nginx`), else the Node demo target (figures are
// then target-bound). Target and generator are pinned to different CPUs with taskset when possible.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { soak } from './soak.mjs';
import { outputCost } from './output-cost.mjs';
import { seriesMemory } from './series-memory.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'loadts.js');
const SCRIPTS = join(ROOT, 'bench', 'scripts');
const TMP = mkdtempSync(join(tmpdir(), 'loadts-bench-'));

// ---------------------------------------------------------------------------------------------
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const value = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const QUICK = flag('quick');
const ROUNDS = Number(value('rounds', QUICK ? 3 : 5));
const DURATION = Number(value('duration', QUICK ? 3 : 10));
const JSON_OUT = value('json', undefined);
const ONLY = flag('soak-only') ? ['soak'] : value('only', 'throughput,accuracy,startup,memory,trend,open,outputs,series,soak').split(',');
const SOAK_MINUTES = Number(value('soak-minutes', QUICK ? 2 : 30));
if (!Number.isInteger(SOAK_MINUTES) || SOAK_MINUTES < 1) {
  process.stderr.write(`error: --soak-minutes must be a whole number of minutes ≥ 1, got ${value('soak-minutes')}\n`);
  process.exit(2);
}

const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim() || undefined;
const CPUS = availableParallelism();
const TASKSET = CPUS >= 2 ? which('taskset') : undefined;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const WRK = which('wrk');
const NGINX = which('nginx') ?? (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : undefined);
const AUTOCANNON = join(ROOT, 'node_modules', '.bin', 'autocannon');
const ECHO_MODULE = '/usr/lib/nginx/modules/ngx_http_echo_module.so';

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Runs a command (pinned to `cpu` when possible) under /usr/bin/time; returns output, wall s, CPU s, max RSS KiB. */
function measure(cmd, args, { cpu, env } = {}) {
  return new Promise((resolve) => {
    let full = [cmd, ...args];
    if (TASKSET && cpu !== undefined) full = [TASKSET, '-c', String(cpu), ...full];
    if (TIME) full = [TIME, '-f', '__TIME__ %e %U %S %M', ...full];
    const started = performance.now();
    const child = spawn(full[0], full.slice(1), { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const m = /__TIME__ ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      resolve({
        code,
        stdout,
        stderr,
        wallS: m ? Number(m[1]) : (performance.now() - started) / 1000,
        cpuS: m ? Number(m[2]) + Number(m[3]) : NaN,
        rssKiB: m ? Number(m[4]) : NaN,
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Targets

async function startNginx() {
  const port = await freePort();
  const dir = mkdtempSync(join(TMP, 'nginx-'));
  const kb = 'x'.repeat(1023) + '\n';
  // Fixed delays need the echo module (apt-get install libnginx-mod-http-echo); without it the
  // delay scenarios use the Node demo target.
  const echo = existsSync(ECHO_MODULE);
  const delays = echo ? [5, 50].map((ms) => `location = /delay/${ms} { default_type text/plain; echo_sleep ${ms / 1000}; echo ok; }`).join('\n    ') : '';
  writeFileSync(
    join(dir, 'nginx.conf'),
    `${echo ? `load_module ${ECHO_MODULE};\n` : ''}worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log crit;
events { worker_connections 8192; }
http { access_log off; keepalive_requests 10000000; keepalive_timeout 120s;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  server { listen 127.0.0.1:${port};
    location = / { default_type text/plain; return 200 'ok\n'; }
    location = /1k { default_type text/plain; return 200 '${kb}'; }
    ${delays} } }
`,
  );
  const args = ['-c', join(dir, 'nginx.conf'), '-p', dir];
  const cmd = TASKSET ? [TASKSET, '-c', '0', NGINX, ...args] : [NGINX, ...args];
  const child = spawn(cmd[0], cmd.slice(1), { stdio: 'ignore' });
  await waitFor(`http://127.0.0.1:${port}/`);
  return { name: 'nginx (1 worker)', url: `http://127.0.0.1:${port}`, small: '/', kb: '/1k', delays: echo, stop: () => child.kill('SIGTERM') };
}

async function startNodeTarget() {
  const port = await freePort();
  const cmd = TASKSET ? [TASKSET, '-c', '0', process.execPath, BIN, 'serve', '--port', String(port)] : [process.execPath, BIN, 'serve', '--port', String(port)];
  const child = spawn(cmd[0], cmd.slice(1), { stdio: 'ignore' });
  await waitFor(`http://127.0.0.1:${port}/`);
  return { name: 'loadts demo target (Node)', url: `http://127.0.0.1:${port}`, small: '/', kb: '/bytes/1024', delays: true, stop: () => child.kill('SIGTERM') };
}

async function waitFor(url) {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`target at ${url} did not start`);
}

// ---------------------------------------------------------------------------------------------
// Tools: each returns { rps, p50Ms, p99Ms, requests, cpuS, rssKiB }

async function runLoadts(url, path, { vus, seconds, workers = 1, pinned = true }) {
  const out = join(TMP, `loadts-${Math.random().toString(36).slice(2)}.json`);
  const r = await measure(
    process.execPath,
    [BIN, 'run', '-q', '--no-summary', '--workers', String(workers), '-u', String(vus), '-d', `${seconds}s`, '--summary-trend-stats', 'med,p(99)', '--summary-export', out, join(SCRIPTS, 'get.ts')],
    { cpu: pinned ? 1 : undefined, env: { BASE_URL: url, PATH_SUFFIX: path, PATH: process.env.PATH } },
  );
  if (!existsSync(out)) throw new Error(`loadts failed: ${r.stderr.slice(0, 500)}`);
  const m = JSON.parse(readFileSync(out, 'utf8')).metrics;
  return { rps: m.http_reqs.rate, p50Ms: m.http_req_duration.med, p99Ms: m.http_req_duration['p(99)'], requests: m.http_reqs.count, cpuS: r.cpuS, rssKiB: r.rssKiB };
}

async function runAutocannon(url, path, { vus, seconds }) {
  const r = await measure(process.execPath, [AUTOCANNON, '-c', String(vus), '-d', String(seconds), '-j', url + path], { cpu: 1 });
  const j = JSON.parse(r.stdout);
  return { rps: j.requests.average, p50Ms: j.latency.p50, p99Ms: j.latency.p99, requests: j.requests.total, cpuS: r.cpuS, rssKiB: r.rssKiB };
}

function wrkMs(text, pct) {
  const m = new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(text);
  if (!m) return NaN;
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]];
}

async function runWrk(url, path, { vus, seconds }) {
  const r = await measure(WRK, ['-t1', `-c${vus}`, `-d${seconds}s`, '--latency', url + path], { cpu: 1 });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1]);
  const total = Number(/(\d+) requests in/.exec(r.stdout)?.[1]);
  return { rps, p50Ms: wrkMs(r.stdout, 50), p99Ms: wrkMs(r.stdout, 99), requests: total, cpuS: r.cpuS, rssKiB: r.rssKiB };
}

// ---------------------------------------------------------------------------------------------

function summarise(samples) {
  const pick = (k) => median(samples.map((s) => s[k]));
  const cpuPerReqUs = median(samples.map((s) => (s.cpuS / s.requests) * 1e6));
  return { rps: pick('rps'), p50Ms: pick('p50Ms'), p99Ms: pick('p99Ms'), cpuPerReqUs, rssMiB: pick('rssKiB') / 1024, rounds: samples.length };
}

function table(rows, baseline) {
  const base = rows.find((r) => r.tool === baseline)?.rps;
  const head = ['tool', 'requests/s', `ratio to ${baseline}`, 'CPU per request', 'p50', 'p99', 'peak RSS'];
  const body = rows.map((r) => [
    r.tool,
    Math.round(r.rps).toLocaleString('en'),
    base ? (r.rps / base).toFixed(2) : '-',
    `${r.cpuPerReqUs.toFixed(1)} µs`,
    `${r.p50Ms.toFixed(2)} ms`,
    `${r.p99Ms.toFixed(2)} ms`,
    `${r.rssMiB.toFixed(0)} MiB`,
  ]);
  return ['| ' + head.join(' | ') + ' |', '|' + head.map(() => '---').join('|') + '|', ...body.map((b) => '| ' + b.join(' | ') + ' |')].join('\n');
}

const results = { machine: { cpus: CPUS, node: process.version, pinned: Boolean(TASKSET), wrk: Boolean(WRK), nginx: Boolean(NGINX) }, rounds: ROUNDS, durationS: DURATION };

async function throughput(target) {
  for (const [label, path] of [['GET 3-byte body', target.small], ['GET 1 KiB body', target.kb]]) {
    log(`\n== throughput: 50 VUs/connections, ${label}, ${DURATION}s × ${ROUNDS} rounds against ${target.name}`);
    const tools = [
      ['loadts (1 worker, pinned)', () => runLoadts(target.url, path, { vus: 50, seconds: DURATION })],
      ['autocannon', () => runAutocannon(target.url, path, { vus: 50, seconds: DURATION })],
      ...(WRK ? [['wrk', () => runWrk(target.url, path, { vus: 50, seconds: DURATION })]] : []),
      [`loadts (${CPUS} workers, unpinned)`, () => runLoadts(target.url, path, { vus: 50, seconds: DURATION, workers: CPUS, pinned: false })],
    ];
    const samples = Object.fromEntries(tools.map(([n]) => [n, []]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? tools : [...tools].reverse();
      for (const [name, fn] of order) {
        try {
          const s = await fn();
          samples[name].push(s);
          log(`  round ${round + 1} ${name}: ${Math.round(s.rps)} req/s`);
        } catch (e) {
          log(`  round ${round + 1} ${name}: failed: ${e.message}`);
        }
      }
    }
    const rows = tools.map(([tool]) => ({ tool, ...summarise(samples[tool]) }));
    console.log(`\n### Throughput, ${label} (${target.name}; medians of ${ROUNDS})\n\n${table(rows, 'autocannon')}`);
    results[`throughput_${path === target.small ? 'small' : '1k'}`] = rows;
  }
}

async function accuracy(target) {
  const rounds = QUICK ? 1 : 3;
  log(`\n== accuracy: 20 VUs against a fixed 50 ms endpoint (${target.name}), ${DURATION}s × ${rounds} round(s)`);
  const runs = [];
  for (let round = 1; round <= rounds; round++) {
    const l = await runLoadts(target.url, '/delay/50', { vus: 20, seconds: DURATION });
    const w = WRK ? await runWrk(target.url, '/delay/50', { vus: 20, seconds: DURATION }) : undefined;
    const a = await runAutocannon(target.url, '/delay/50', { vus: 20, seconds: DURATION });
    runs.push({ loadtsP50: l.p50Ms, wrkP50: w?.p50Ms, autocannonP50: a.p50Ms, difference: w ? l.p50Ms - w.p50Ms : undefined });
    log(`  round ${round}: loadts p50 ${l.p50Ms.toFixed(2)} ms${w ? `, wrk ${w.p50Ms.toFixed(2)} ms` : ''}, autocannon ${a.p50Ms} ms`);
  }
  const m = (k) => median(runs.map((r) => r[k]));
  const line =
    `loadts p50 ${m('loadtsP50').toFixed(2)} ms` +
    (WRK ? `, wrk p50 ${m('wrkP50').toFixed(2)} ms (difference ${m('difference').toFixed(2)} ms, the median of the rounds' differences: ${runs.map((r) => r.difference.toFixed(2)).join(', ')})` : '') +
    `, autocannon p50 ${m('autocannonP50')} ms (1 ms resolution)`;
  console.log(`\n### Fixed-latency accuracy (/delay/50, 20 VUs, ${target.name}; medians of ${rounds})\n\n${line} (target: within 0.5 ms of wrk)`);
  results.accuracy = { loadtsP50: m('loadtsP50'), wrkP50: WRK ? m('wrkP50') : undefined, autocannonP50: m('autocannonP50'), difference: WRK ? m('difference') : undefined, rounds: runs };
}

async function startup(url) {
  const n = QUICK ? 5 : 9;
  log(`\n== start-up: one-iteration run vs node -e 0, ${n} runs each`);
  const node = [];
  const lt = [];
  for (let i = 0; i < n; i++) {
    node.push((await measure(process.execPath, ['-e', '0'])).wallS);
    lt.push((await measure(process.execPath, [BIN, 'run', '-q', '--no-summary', join(SCRIPTS, 'one-iteration.ts')], { env: { BASE_URL: url } })).wallS);
  }
  const ratio = median(lt) / median(node);
  console.log(`\n### Start-up\n\none-iteration run ${(median(lt) * 1000).toFixed(0)} ms, node -e 0 ${(median(node) * 1000).toFixed(0)} ms: ${ratio.toFixed(1)}× (target ≤ 4.5×)`);
  results.startup = { loadtsMs: median(lt) * 1000, nodeMs: median(node) * 1000, ratio };
}

async function memory(url) {
  const counts = QUICK ? [100, 1000, 5000] : [100, 1000, 5000, 10000];
  const rounds = QUICK ? 1 : 3;
  log(`\n== VU memory: ${counts.join(', ')} VUs that sleep(1) between requests, ${rounds} round(s), median`);
  const samples = Object.fromEntries(counts.map((v) => [v, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const v of counts) {
      const r = await measure(process.execPath, [BIN, 'run', '-q', '--no-summary', '-u', String(v), '-d', QUICK ? '4s' : '8s', join(SCRIPTS, 'sleep-vus.ts')], { env: { BASE_URL: url } });
      samples[v].push(r.rssKiB);
      log(`  round ${round} ${v} VUs: ${(r.rssKiB / 1024).toFixed(0)} MiB`);
    }
  }
  const rss = Object.fromEntries(counts.map((v) => [v, median(samples[v])]));
  // The marginal cost per round (each round's 5,000 against its own 100), then the median of those.
  const perVU = median(samples[5000].map((x, i) => (x - samples[100][i]) / 4900));
  console.log(`\n### VU memory (sleep(1) between requests; medians of ${rounds})\n\n${counts.map((v) => `${v} VUs: ${(rss[v] / 1024).toFixed(0)} MiB`).join(', ')}; marginal cost ${perVU.toFixed(1)} KiB per VU (target ≤ 15 KiB)${rss[10000] ? `; 10,000 VUs ${rss[10000] < 400 * 1024 ? 'under' : 'over'} 400 MiB` : ''}`);
  results.memory = { rssKiB: rss, perVUKiB: perVU, samples };
}

async function trend() {
  log('\n== trend memory: 1M vs 10M samples into one Trend');
  const out = {};
  for (const n of [1_000_000, 10_000_000]) {
    const r = await measure(process.execPath, [BIN, 'run', '-q', '--no-summary', join(SCRIPTS, 'trend-samples.ts')], { env: { SAMPLES: String(n), BASE_URL: 'http://127.0.0.1:1' } });
    out[n] = r.rssKiB;
  }
  const ratio = out[10_000_000] / out[1_000_000];
  console.log(`\n### Trend memory\n\n1M samples ${(out[1_000_000] / 1024).toFixed(0)} MiB, 10M samples ${(out[10_000_000] / 1024).toFixed(0)} MiB: ratio ${ratio.toFixed(3)} (target ≤ 1.10)`);
  results.trend = { rssKiB: out, ratio };
}

async function openModel(target) {
  const url = target.url;
  const seconds = QUICK ? 5 : 10;
  const rounds = QUICK ? 1 : 3;
  log(`\n== open model: constant-arrival-rate 10,000/s for ${seconds}s, one worker, 5 ms endpoint (${target.name}), ${rounds} round(s)`);
  const scheduled = 10_000 * seconds;
  const runs = [];
  for (let round = 1; round <= rounds; round++) {
    const outFile = join(TMP, `open-${round}.json`);
    await measure(process.execPath, [BIN, 'run', '-q', '--no-summary', '--workers', '1', '--summary-export', outFile, join(SCRIPTS, 'open-rate.ts')], {
      cpu: 1,
      env: { BASE_URL: url, RATE: '10000', DURATION: `${seconds}s` },
    });
    const m = JSON.parse(readFileSync(outFile, 'utf8')).metrics;
    const done = m.iterations?.count ?? 0;
    const run = { done, dropped: m.dropped_iterations?.count ?? 0, error: (done - scheduled) / scheduled, lagP95: m.iteration_start_lag?.['p(95)'] };
    runs.push(run);
    log(`  round ${round}: ${done} of ${scheduled} (${(run.error * 100).toFixed(2)}%), ${run.dropped} dropped, start lag p(95) ${run.lagP95?.toFixed(1)} ms`);
  }
  const err = median(runs.map((r) => r.error));
  const mid = runs.find((r) => r.error === err) ?? runs[0];
  console.log(
    `\n### Open model at 10,000/s (${target.name}; median of ${rounds})\n\n${mid.done} of ${scheduled} scheduled iterations (${(err * 100).toFixed(2)}%), ${mid.dropped} dropped, start lag p(95) ${mid.lagP95?.toFixed(2)} ms; all rounds: ${runs.map((r) => `${(r.error * 100).toFixed(2)}%`).join(', ')} (target ±0.5%)`,
  );
  results.open = { scheduled, done: mid.done, dropped: mid.dropped, error: err, rounds: runs };
}

// ---------------------------------------------------------------------------------------------
const nodeTarget = await startNodeTarget();
let target = nodeTarget;
if (NGINX) target = await startNginx();
else log(`warning: nginx is not installed (apt-get install nginx): throughput is measured against the Node demo target and is target-bound`);
if (!WRK) log('note: wrk is not installed (apt-get install wrk): the wrk rows are skipped');
if (!TASKSET) log('note: taskset unavailable or one CPU: target and generator are not pinned');
console.log(`# loadts benchmark (${new Date().toISOString()}, node ${process.version}, ${CPUS} CPUs, target ${target.name}${TASKSET ? ', target on CPU 0, generator on CPU 1' : ''})`);
try {
  if (ONLY.includes('throughput')) await throughput(target);
  const delayTarget = target.delays ? target : nodeTarget;
  if (ONLY.includes('accuracy')) await accuracy(delayTarget);
  if (ONLY.includes('startup')) await startup(nodeTarget.url);
  if (ONLY.includes('open')) await openModel(delayTarget);
  if (ONLY.includes('trend')) await trend();
  if (ONLY.includes('memory')) await memory(nodeTarget.url);
  if (ONLY.includes('outputs')) results.outputs = await outputCost({ bin: BIN, script: join(SCRIPTS, 'get.ts'), target, rounds: Number(value('output-rounds', 3)), seconds: DURATION, taskset: TASKSET, tmp: TMP, log });
  if (ONLY.includes('series')) results.series = await seriesMemory({ hours: Number(value('series-hours', QUICK ? 6 : 24)), log });
  if (ONLY.includes('soak')) results.soak = await soak({ minutes: SOAK_MINUTES, peer: !flag('no-soak-peer'), tmp: TMP });
} finally {
  target.stop();
  if (target !== nodeTarget) nodeTarget.stop();
}
if (JSON_OUT) {
  writeFileSync(JSON_OUT, `${JSON.stringify(results, null, 2)}\n`);
  log(`\nwrote ${JSON_OUT}`);
}
