// The cost of the raw-sample outputs (`npm run bench -- --only outputs [--output-rounds N]`, 3 by
// default): requests/s and CPU time per request at 50 VUs with
// no output, `--out json` and `--out csv` (and their .gz forms), against the same target, alternating
// round by round, the median of the rounds and the ratio to no output. loadts runs as the
// throughput table's "1 worker, pinned": one worker thread, the whole process on CPU 1 (the target
// on CPU 0), so the coordinator's formatting shares the worker's core and shows in the figure.
// The coordinator's own formatting time comes from LOADTS_TRACE's line per output.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const VARIANTS = [
  ['no output', []],
  ['--out json', ['--out', 'json=FILE.json']],
  ['--out csv', ['--out', 'csv=FILE.csv']],
  ['--out json (.gz)', ['--out', 'json=FILE.json.gz']],
  ['--out csv (.gz)', ['--out', 'csv=FILE.csv.gz']],
];

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function once({ bin, script, url, path, seconds, taskset, args, tmp }) {
  const file = join(tmp, `output-cost-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const exported = `${file}.summary.json`;
  const full = [process.execPath, bin, 'run', '-q', '--no-summary', '--workers', '1', '-u', '50', '-d', `${seconds}s`, '--summary-export', exported, ...args.map((a) => a.replace('FILE', file)), script];
  // CPU time per request (user + system, the whole process) is steadier than requests/s on a
  // shared machine: other processes take turns on the core but do not add to loadts's CPU time.
  const timed = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', '__TIME__ %U %S', ...full] : full;
  const cmd = taskset ? [taskset, '-c', '1', ...timed] : timed;
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), { env: { ...process.env, NO_COLOR: '1', BASE_URL: url, PATH_SUFFIX: path, LOADTS_TRACE: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', () => {
      try {
        const m = JSON.parse(readFileSync(exported, 'utf8')).metrics;
        const trace = /: (\d+) samples formatted in (\d+) ms \(([\d.]+) µs each\), at most (\d+) bytes queued/.exec(stderr);
        const written = args.length > 0 ? statSync(`${file}${/\.(json|csv)(\.gz)?$/.exec(args[1])[0]}`).size : 0;
        const cpu = /__TIME__ ([\d.]+) ([\d.]+)/.exec(stderr);
        resolve({
          rps: m.http_reqs.rate,
          cpuUsPerRequest: cpu ? ((Number(cpu[1]) + Number(cpu[2])) * 1e6) / m.http_reqs.count : NaN,
          samples: trace ? Number(trace[1]) : 0,
          formatMs: trace ? Number(trace[2]) : 0,
          usPerSample: trace ? Number(trace[3]) : NaN,
          queuedMiB: trace ? Number(trace[4]) / 2 ** 20 : 0,
          writtenMiB: written / 2 ** 20,
        });
      } catch (e) {
        resolve({ rps: NaN, error: `${e.message}: ${stderr.slice(-400)}` });
      } finally {
        rmSync(`${file}.json`, { force: true });
        rmSync(`${file}.csv`, { force: true });
        rmSync(`${file}.json.gz`, { force: true });
        rmSync(`${file}.csv.gz`, { force: true });
        rmSync(exported, { force: true });
      }
    });
  });
}

/**
 * Runs the output-cost rounds; prints a Markdown table and returns the figures.
 * @param {{ bin: string, script: string, target: { name: string, url: string, small: string }, rounds: number, seconds: number, taskset?: string, tmp: string, log: (...a: string[]) => void }} o
 */
export async function outputCost(o) {
  o.log(`\n== output cost: 50 VUs, 1 worker pinned, ${o.seconds}s × ${o.rounds} rounds against ${o.target.name}`);
  const samples = Object.fromEntries(VARIANTS.map(([name]) => [name, []]));
  for (let round = 0; round < o.rounds; round++) {
    const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
    for (const [name, args] of order) {
      const r = await once({ bin: o.bin, script: o.script, url: o.target.url, path: o.target.small, seconds: o.seconds, taskset: o.taskset, args, tmp: o.tmp });
      samples[name].push(r);
      o.log(`  round ${round + 1} ${name}: ${r.error ?? `${Math.round(r.rps)} req/s, ${r.cpuUsPerRequest.toFixed(1)} µs CPU per request${r.samples ? `, ${r.samples} samples, ${r.usPerSample} µs each to format, ${r.writtenMiB.toFixed(0)} MiB written` : ''}`}`);
    }
  }
  const base = median(samples['no output'].map((s) => s.rps));
  const baseCpu = median(samples['no output'].map((s) => s.cpuUsPerRequest));
  const rows = VARIANTS.map(([name]) => {
    const s = samples[name];
    const rps = median(s.map((x) => x.rps));
    const durationS = o.seconds;
    return {
      output: name,
      rps,
      ratio: rps / base,
      cpuUsPerRequest: median(s.map((x) => x.cpuUsPerRequest)),
      cpuRatio: median(s.map((x) => x.cpuUsPerRequest)) / baseCpu,
      usPerSample: median(s.map((x) => x.usPerSample)),
      formatShare: median(s.map((x) => x.formatMs / (durationS * 1000))),
      writtenMiBps: median(s.map((x) => x.writtenMiB / durationS)),
      queuedMiB: median(s.map((x) => x.queuedMiB)),
    };
  });
  const head = ['output', 'requests/s', 'ratio to no output', 'CPU per request', 'CPU ratio', 'coordinator: µs per sample', 'coordinator: share of a core', 'written', 'most queued'];
  const body = rows.map((r) => [
    r.output,
    Math.round(r.rps).toLocaleString('en'),
    r.ratio.toFixed(2),
    `${r.cpuUsPerRequest.toFixed(1)} µs`,
    r.cpuRatio.toFixed(2),
    Number.isFinite(r.usPerSample) ? r.usPerSample.toFixed(2) : '-',
    r.formatShare > 0 ? `${(r.formatShare * 100).toFixed(1)}%` : '-',
    r.writtenMiBps > 0 ? `${r.writtenMiBps.toFixed(1)} MiB/s` : '-',
    r.queuedMiB > 0 ? `${r.queuedMiB.toFixed(1)} MiB` : '-',
  ]);
  const table = ['| ' + head.join(' | ') + ' |', '|' + head.map(() => '---').join('|') + '|', ...body.map((b) => '| ' + b.join(' | ') + ' |')].join('\n');
  console.log(`\n### Output cost (50 VUs, 1 worker pinned, ${o.target.name}; medians of ${o.rounds})\n\n${table}`);
  return rows;
}
