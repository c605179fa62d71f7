// The soak (bench/run.mjs, `--only soak` or `--soak-only`): a constant 2,000 requests/s for 30
// minutes against a counting server in a process of its own (bench/soak-counter.mjs: it answers as
// the demo target's `/` does, and counts). The generator's RSS (/proc/<pid>/status VmRSS: the whole
// process, all its threads) is read every second; the reading at each minute is reported. Then
// autocannon at the same rate and duration, the peer. Checks: RSS from minute 5 to the end within
// 10% (max/min ≤ 1.10), and the server's count equal to the count the generator reports.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'loadts.js');
const COUNTER = join(ROOT, 'bench', 'soak-counter.mjs');
const SCRIPT = join(ROOT, 'bench', 'scripts', 'soak.ts');
const AUTOCANNON = join(ROOT, 'node_modules', '.bin', 'autocannon');
const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);
const mib = (kib) => (kib === undefined ? '-' : `${(kib / 1024).toFixed(1)} MiB`);

/** The counting server (bench/soak-counter.mjs); `ask('count' | 'reset')` answers { count }. */
function startCounter() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [COUNTER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('error', reject);
    child.once('message', ({ url }) => {
      const ask = (cmd) =>
        new Promise((res) => {
          child.once('message', res);
          child.send(cmd);
        });
      resolve({ url, ask, stop: () => child.kill('SIGTERM') });
    });
  });
}

/** A few thousand requests, a quarter on new connections, so that the new Node server is warm (docs/scenarios.md). */
async function warmUp(url) {
  const agent = new Agent({ connections: 16 });
  let left = 4000;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (left-- > 0) {
        const res = await request(`${url}/`, { dispatcher: agent, headers: left % 4 === 0 ? { connection: 'close' } : {} });
        await res.body.dump();
      }
    }),
  );
  await agent.close();
}

function rssKiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined; // the process has exited
  }
}

/** loadts's latest progress line ("running (…), 012/230 VUs, …" on stdout every 5 s): 'active/allocated'. */
const lastVus = (stdout) => [...stdout.matchAll(/running \([^)]*\), (\d+)\/(\d+) VUs/g)].map((m) => `${Number(m[1])}/${Number(m[2])}`).pop();

/** Runs a generator to its end, reading its RSS every second; minute k is the first reading at or after k × 60 s. */
function runSampled(name, args, env, minutes) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const started = performance.now();
    const perMinute = [];
    const vusPerMinute = [];
    let peakKiB = 0;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setInterval(() => {
      const kib = rssKiB(child.pid);
      if (kib === undefined) return;
      peakKiB = Math.max(peakKiB, kib);
      while (perMinute.length < minutes && performance.now() - started >= (perMinute.length + 1) * 60_000) {
        perMinute.push(kib);
        vusPerMinute.push(lastVus(stdout));
        log(`  ${name} minute ${perMinute.length}: RSS ${mib(kib)}${vusPerMinute.at(-1) ? `, VUs ${vusPerMinute.at(-1)}` : ''}`);
      }
    }, 1000);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, stdout, stderr, perMinute, vusPerMinute, peakKiB });
    });
  });
}

/** Max/min of the per-minute RSS from minute `from` on. */
function stability(perMinute, from) {
  const window = perMinute.slice(from - 1);
  if (window.length === 0) return { ratio: NaN };
  const min = Math.min(...window);
  const max = Math.max(...window);
  return { min, max, ratio: max / min };
}

async function soakLoadts(counter, { minutes, rate, tmp }) {
  const out = join(tmp, 'soak-loadts.json');
  // Not -q: the progress line gives the VUs at each minute (an RSS step may be new VUs).
  const args = [BIN, 'run', '--no-summary', '--summary-export', out, SCRIPT];
  const r = await runSampled('loadts', args, { BASE_URL: counter.url, RATE: String(rate), DURATION: `${minutes}m` }, minutes);
  const server = await counter.ask('count');
  if (!existsSync(out)) throw new Error(`loadts wrote no summary (exit ${r.code}): ${r.stderr.slice(0, 500)}`);
  const m = JSON.parse(readFileSync(out, 'utf8')).metrics;
  return {
    tool: 'loadts',
    exitCode: r.code,
    perMinute: r.perMinute,
    vusPerMinute: r.vusPerMinute,
    peakKiB: r.peakKiB,
    reported: m.http_reqs?.count ?? 0,
    server: server.count,
    failed: m.http_req_failed?.passes ?? 0,
    dropped: m.dropped_iterations?.count ?? 0,
    iterations: m.iterations?.count ?? 0,
    vusMax: m.vus_max?.max ?? m.vus_max?.value,
    p95Ms: m.http_req_duration?.['p(95)'],
    stderr: r.stderr.trim().split('\n').filter(Boolean).slice(0, 5),
  };
}

async function soakAutocannon(counter, { minutes, rate }) {
  const args = [AUTOCANNON, '-c', '50', '-R', String(rate), '-d', String(minutes * 60), '-j', `${counter.url}/`];
  const r = await runSampled('autocannon', args, {}, minutes);
  const server = await counter.ask('count');
  const j = JSON.parse(r.stdout);
  return {
    tool: 'autocannon',
    exitCode: r.code,
    perMinute: r.perMinute,
    peakKiB: r.peakKiB,
    reported: j.requests.total,
    sent: j.requests.sent,
    server: server.count,
    failed: (j.errors ?? 0) + (j.non2xx ?? 0),
    p95Ms: undefined,
  };
}

function report(runs, { minutes, rate, from }) {
  const cells = (r, i) => [mib(r.perMinute[i]), ...(r.vusPerMinute ? [r.vusPerMinute[i] ?? '-'] : [])];
  const heads = runs.flatMap((r) => [`${r.tool} RSS`, ...(r.vusPerMinute ? [`${r.tool} VUs (active/allocated)`] : [])]);
  const minuteRows = Array.from({ length: minutes }, (_, i) => `| ${i + 1} | ${runs.flatMap((r) => cells(r, i)).join(' | ')} |`);
  const rssTable = [`| minute | ${heads.join(' | ')} |`, `|---|${heads.map(() => '---').join('|')}|`, ...minuteRows].join('\n');
  const head = ['tool', `RSS min–max, minutes ${from}–${minutes}`, 'max/min', 'within 10%', 'peak RSS', 'requests reported', 'server count', 'difference', 'failed', 'dropped iterations'];
  const rows = runs.map((r) => {
    const s = stability(r.perMinute, from);
    const diff = r.server - r.reported;
    return [
      r.tool,
      `${mib(s.min)} – ${mib(s.max)}`,
      s.ratio.toFixed(3),
      s.ratio <= 1.1 ? 'yes ✓' : 'no ✗',
      mib(r.peakKiB),
      r.reported.toLocaleString('en') + (r.sent !== undefined ? ` (${r.sent.toLocaleString('en')} sent)` : ''),
      r.server.toLocaleString('en'),
      diff === 0 ? 'equal ✓' : `${diff > 0 ? '+' : ''}${diff} ✗`,
      r.failed.toLocaleString('en'),
      r.dropped === undefined ? '-' : r.dropped.toLocaleString('en'),
    ];
  });
  const summary = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((c) => `| ${c.join(' | ')} |`)].join('\n');
  const scheduled = rate * minutes * 60;
  const lt = runs.find((r) => r.tool === 'loadts');
  const notes = lt
    ? `loadts: exit ${lt.exitCode}, ${lt.iterations.toLocaleString('en')} of ${scheduled.toLocaleString('en')} scheduled iterations, vus_max ${lt.vusMax}, http_req_duration p(95) ${lt.p95Ms?.toFixed(2)} ms`
    : '';
  console.log(`\n### Soak: ${rate.toLocaleString('en')} requests/s for ${minutes} min (counting server answering ok)\n\n${rssTable}\n\n${summary}\n\n${notes}`);
}

/** The soak scenario; returns its figures for --json. `peer`: also run autocannon. */
export async function soak({ minutes, rate = 2000, peer = true, tmp }) {
  if (!existsSync('/proc/self/status')) {
    log('\n== soak: skipped (reads /proc/<pid>/status, Linux only)');
    return undefined;
  }
  const from = Math.min(5, Math.max(1, Math.floor(minutes / 6)));
  log(`\n== soak: constant-arrival-rate ${rate}/s for ${minutes} min against a counting server; RSS each minute, stable from minute ${from}${peer ? '; then autocannon -R the same' : ''}`);
  const counter = await startCounter();
  const runs = [];
  try {
    await warmUp(counter.url);
    for (const run of peer ? [soakLoadts, soakAutocannon] : [soakLoadts]) {
      await counter.ask('reset');
      runs.push(await run(counter, { minutes, rate, tmp }));
    }
  } finally {
    counter.stop();
  }
  report(runs, { minutes, rate, from });
  return { minutes, rate, from, runs: runs.map((r) => ({ ...r, stability: stability(r.perMinute, from) })) };
}
