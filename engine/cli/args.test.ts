import { describe, expect, it } from 'vitest';
import { LoadtsError } from '../errors.js';
import { parseArgs, RUN_FLAGS, SERVE_DEFAULTS, type CliCommand, type RunCommand } from './args.js';

function run(...argv: string[]): RunCommand {
  const c = parseArgs(argv);
  if (c.command !== 'run' && c.command !== 'inspect') throw new Error(`expected run/inspect, got ${c.command}`);
  return c;
}

const defaults: RunCommand = {
  command: 'run',
  script: 's.ts',
  options: {},
  env: {},
  noSummary: false,
  noThresholds: false,
  quiet: false,
  noColor: false,
  verbose: false,
  outputs: [],
  noStepSummary: false,
};

describe('parseArgs: loadts run / inspect', () => {
  it('has quiet defaults and no options when no flag is given', () => {
    expect(parseArgs(['run', 's.ts'])).toEqual(defaults);
    expect(parseArgs(['inspect', 's.ts'])).toEqual({ ...defaults, command: 'inspect' });
  });

  it('reads every flag (--flag value form)', () => {
    const c = run(
      'run',
      ...['--vus', '5', '--duration', '10s', '--iterations', '100', '--stage', '5s:10', '--stage', '10s:0'],
      ...['--env', 'A=1', '--env', 'B=x=y', '--tag', 'team=qa', '--config', 'cfg.yaml', '--summary-export', 'out.json'],
      ...['--summary-trend-stats', 'avg,p(99)', '--summary-time-unit', 'ms', '--no-summary', '--no-thresholds', '--workers', '2'],
      ...['--quiet', '--no-color', '--verbose', '--execution-segment', '0:1/2', '--execution-segment-sequence', '0,1/2,1'],
      ...['--address', '127.0.0.1:6565', '--user-agent', 'ua/1', '--discard-response-bodies', '--no-connection-reuse', '--no-vu-connection-reuse'],
      ...['--insecure-skip-tls-verify', '--max-redirects', '3', '--batch', '7', '--batch-per-host', '2', '--setup-timeout', '2m', '--teardown-timeout', '1m'],
      ...['--out', 'record=run.json', '-o', 'record=b.json.gz', '--series-interval', '2s', '--no-step-summary'],
      'script.ts',
    );
    expect(c).toEqual({
      command: 'run',
      script: 'script.ts',
      configPath: 'cfg.yaml',
      env: { A: '1', B: 'x=y' },
      summaryExport: 'out.json',
      noSummary: true,
      noThresholds: true,
      outputs: ['record=run.json', 'record=b.json.gz'],
      seriesIntervalMs: 2000,
      noStepSummary: true,
      workers: 2,
      quiet: true,
      noColor: true,
      verbose: true,
      address: '127.0.0.1:6565',
      options: {
        vus: 5,
        duration: '10s',
        iterations: 100,
        stages: [
          { duration: '5s', target: 10 },
          { duration: '10s', target: 0 },
        ],
        tags: { team: 'qa' },
        summaryTrendStats: ['avg', 'p(99)'],
        summaryTimeUnit: 'ms',
        executionSegment: '0:1/2',
        executionSegmentSequence: '0,1/2,1',
        userAgent: 'ua/1',
        discardResponseBodies: true,
        noConnectionReuse: true,
        noVUConnectionReuse: true,
        insecureSkipTLSVerify: true,
        maxRedirects: 3,
        batch: 7,
        batchPerHost: 2,
        setupTimeout: '2m',
        teardownTimeout: '1m',
      },
    } satisfies CliCommand);
  });

  it('reads --flag=value and the k6 shorthands', () => {
    const c = run('run', '--vus=5', '-d', '10s', '-i100', '-s=5s:10', '-e', 'A=1', '-c', 'c.json', '-a', ':6565', '-q', '-v', 's.ts');
    expect(c).toMatchObject({
      options: { vus: 5, duration: '10s', iterations: 100, stages: [{ duration: '5s', target: 10 }] },
      env: { A: '1' },
      configPath: 'c.json',
      address: ':6565',
      quiet: true,
      verbose: true,
    });
    expect(run('run', '-u5', '-d30s', 's.ts').options).toEqual({ vus: 5, duration: '30s' });
    expect(run('run', '-qv', 's.ts')).toMatchObject({ quiet: true, verbose: true });
    expect(run('run', '-qu', '3', 's.ts')).toMatchObject({ quiet: true, options: { vus: 3 } });
  });

  it('takes repeatable flags, and comma lists where k6 does (-s, --tag, --summary-trend-stats)', () => {
    const c = run('run', '-s', '10s:5,20s:10', '-s', '5s:0', '--tag', 'a=1,b=2', '--tag', 'c=3', '--summary-trend-stats', 'avg', '--summary-trend-stats', 'p(95),max', '-e', 'A=1,2', 's.ts');
    expect(c.options.stages).toEqual([
      { duration: '10s', target: 5 },
      { duration: '20s', target: 10 },
      { duration: '5s', target: 0 },
    ]);
    expect(c.options.tags).toEqual({ a: '1', b: '2', c: '3' });
    expect(c.options.summaryTrendStats).toEqual(['avg', 'p(95)', 'max']);
    expect(c.env).toEqual({ A: '1,2' }); // -e is not split: values may hold commas
  });

  it('lets the last of a repeated single-value flag win', () => {
    expect(run('run', '-u', '1', '-u', '2', 's.ts').options.vus).toBe(2);
  });

  it('accepts flags before or after the script, and -- to end flags', () => {
    expect(run('run', 's.ts', '-u', '2').options.vus).toBe(2);
    expect(run('run', '-u', '2', '--', '-odd-name.ts')).toMatchObject({ script: '-odd-name.ts', options: { vus: 2 } });
  });

  it('sets a boolean flag with =true / =false (to override a script or env value)', () => {
    expect(run('run', '--discard-response-bodies=false', '--no-summary=true', '--quiet=0', 's.ts')).toMatchObject({
      options: { discardResponseBodies: false },
      noSummary: true,
      quiet: false,
    });
  });

  it('passes negative numbers through for option validation to report with its rule', () => {
    expect(run('run', '--vus', '-3', 's.ts').options.vus).toBe(-3);
    expect(run('run', '--vus=-3', 's.ts').options.vus).toBe(-3);
    expect(run('run', '-i', '0', 's.ts').options.iterations).toBe(0);
  });

  it("accepts k6's global flags before the command", () => {
    expect(run('-q', '--no-color', '-c', 'cfg.json', '--address=localhost:6565', 'run', '-u', '2', 's.ts')).toMatchObject({
      quiet: true,
      noColor: true,
      configPath: 'cfg.json',
      address: 'localhost:6565',
      options: { vus: 2 },
    });
    expect(run('-v', 'inspect', 's.ts')).toMatchObject({ command: 'inspect', verbose: true });
  });

  it('-h anywhere asks for the command help', () => {
    expect(parseArgs(['run', '-u', '3', 's.ts', '-h'])).toEqual({ command: 'help', topic: 'run' });
    expect(parseArgs(['inspect', '--help'])).toEqual({ command: 'help', topic: 'inspect' });
  });

  it.each<[string[], string]>([
    [['run', '--vsu', '3', 's.ts'], 'unknown flag --vsu for "loadts run" (did you mean --vus?)'],
    [['run', '--duraton', '3s', 's.ts'], 'unknown flag --duraton for "loadts run" (did you mean --duration?)'],
    [['inspect', '--zzzzzz', 's.ts'], 'unknown flag --zzzzzz for "loadts inspect" (see loadts inspect --help)'],
    [['run', '-vus', '3', 's.ts'], 'unknown flag -vus for "loadts run" (did you mean --vus?)'],
    [['run', '-x', 's.ts'], 'unknown shorthand flag -x in -x for "loadts run" (see loadts run --help)'],
    [['run', '-u', 'ten', 's.ts'], '-u needs a whole number, got "ten"'],
    [['run', '--vus', '1.5', 's.ts'], '--vus needs a whole number, got "1.5"'],
    [['run', '--iterations=', 's.ts'], '--iterations needs a whole number, got ""'],
    [['run', 's.ts', '--duration'], '--duration needs a value (D)'],
    [['run', '--duration', '--vus', '3', 's.ts'], '--duration needs a value (D)'],
    [['run', '-d', '30', 's.ts'], 'invalid -d: "30" needs a unit (e.g. 30s or 30ms)'],
    [['run', '-d', '10 parsecs', 's.ts'], 'invalid duration for -d: "10 parsecs" has an unknown unit " parsecs" (use e.g. 30s, 1m30s, 500ms)'],
    [['run', '--setup-timeout', 'soon', 's.ts'], 'invalid duration for --setup-timeout: "soon"'],
    [['run', '-s', '30s', 's.ts'], 'invalid -s: stage "30s" is not DURATION:TARGET (e.g. 30s:10)'],
    [['run', '--stage', '30:10', 's.ts'], 'invalid --stage: "30" needs a unit (e.g. 30s or 30ms)'],
    [['run', '--stage', '30s:many', 's.ts'], 'invalid --stage: "many" is not a whole number'],
    [['run', '-e', 'NOEQUALS', 's.ts'], '-e needs KEY=VALUE, got "NOEQUALS"'],
    [['run', '--env', '=x', 's.ts'], '--env needs KEY=VALUE, got "=x"'],
    [['run', '--tag', 'team', 's.ts'], '--tag needs NAME=VALUE, got "team"'],
    [['run', '--tag', 'team=', 's.ts'], '--tag needs a value after "=", got "team="'],
    [['run', '--workers', '0', 's.ts'], '--workers needs at least 1, got 0'],
    [['run', '--address', 'localhost', 's.ts'], '--address needs HOST:PORT, e.g. 127.0.0.1:6565, got "localhost"'],
    [['run', '--address', 'h:70000', 's.ts'], '--address needs HOST:PORT'],
    [['run', '--no-summary=maybe', 's.ts'], '--no-summary takes no value (or =true / =false), got "maybe"'],
    [['run'], 'missing script: loadts run [flags] <script.ts>'],
    [['inspect', '-u', '2'], 'missing script: loadts inspect [flags] <script.ts>'],
    [['run', 'a.ts', 'b.ts'], 'loadts run takes one script, got "a.ts", "b.ts"'],
    [['--vus', '3', 'run', 's.ts'], '--vus goes after the command: loadts run --vus ... script.ts'],
    [['--bogus', 'run', 's.ts'], 'unknown flag --bogus (usage: loadts run [flags] script.ts)'],
    [['-c'], '-c needs a value (FILE)'],
    [['launch', 's.ts'], 'unknown command "launch" (commands: run, inspect, serve, summary, report, merge, fleet, capacity, compare, version, help)'],
    [['rnu', 's.ts'], 'unknown command "rnu" (did you mean loadts run?)'],
    [['s.ts'], 'unknown command "s.ts" (did you mean loadts run s.ts?)'],
    [['help', 'cloud'], 'no help for "cloud" (commands: run, inspect, serve, summary, report, merge, fleet, capacity, compare, version, help)'],
  ])('%j → %s', (argv, message) => {
    let error: unknown;
    try {
      parseArgs(argv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LoadtsError);
    expect((error as LoadtsError).message).toContain(message);
    expect((error as LoadtsError).message).not.toContain('\n');
    expect((error as LoadtsError).exitCode).toBe(104);
    expect(['INVALID_FLAG', 'INVALID_DURATION']).toContain((error as LoadtsError).code);
  });
});

describe('parseArgs: help, version, serve', () => {
  it.each<[string[], CliCommand]>([
    [[], { command: 'help' }],
    [['-h'], { command: 'help' }],
    [['--help'], { command: 'help' }],
    [['help'], { command: 'help' }],
    [['help', 'run'], { command: 'help', topic: 'run' }],
    [['help', 'serve'], { command: 'help', topic: 'serve' }],
    [['version'], { command: 'version' }],
    [['--version'], { command: 'version' }],
    [['serve'], { command: 'serve', port: SERVE_DEFAULTS.port, host: SERVE_DEFAULTS.host }],
    [['serve', '--port', '4000'], { command: 'serve', port: 4000, host: '127.0.0.1' }],
    [['serve', '--port=0', '--host=0.0.0.0'], { command: 'serve', port: 0, host: '0.0.0.0' }],
    [['serve', '-p', '8080', '--host', 'localhost'], { command: 'serve', port: 8080, host: 'localhost' }],
    [['serve', '--help'], { command: 'help', topic: 'serve' }],
    [['serve', '--tls'], { command: 'serve', port: SERVE_DEFAULTS.port, host: SERVE_DEFAULTS.host, tls: true }],
    [['serve', '--h2', '--port', '0'], { command: 'serve', port: 0, host: SERVE_DEFAULTS.host, tls: true, h2: true }],
  ])('%j', (argv, want) => expect(parseArgs(argv)).toEqual(want));

  it('serves on 127.0.0.1:3333 by default', () => {
    expect(SERVE_DEFAULTS).toEqual({ port: 3333, host: '127.0.0.1' });
  });

  it.each<[string[], string]>([
    [['serve', '--port', '99999'], '--port needs a port from 0 to 65535, got 99999'],
    [['serve', '--port', 'http'], '--port needs a whole number, got "http"'],
    [['serve', '--port'], '--port needs a value'],
    [['serve', '--prot', '1'], 'unknown flag --prot for "loadts serve" (did you mean --port?)'],
    [['serve', 'script.ts'], 'loadts serve takes no script or argument, got "script.ts"'],
  ])('%j → %s', (argv, message) => expect(() => parseArgs(argv)).toThrow(message));
});

describe('RUN_FLAGS', () => {
  it("uses k6's flag names and shorthands", () => {
    const k6 = { vus: 'u', duration: 'd', iterations: 'i', stage: 's', env: 'e', config: 'c', address: 'a', quiet: 'q', verbose: 'v' };
    for (const [name, short] of Object.entries(k6)) expect(RUN_FLAGS.find((f) => f.name === name)?.short).toBe(short);
    for (const name of ['tag', 'summary-export', 'summary-trend-stats', 'summary-time-unit', 'no-summary', 'no-thresholds', 'no-color', 'execution-segment', 'execution-segment-sequence', 'user-agent', 'discard-response-bodies', 'no-connection-reuse', 'no-vu-connection-reuse', 'insecure-skip-tls-verify', 'max-redirects', 'batch', 'batch-per-host']) {
      expect(RUN_FLAGS.some((f) => f.name === name)).toBe(true);
    }
  });

  it('has unique names and shorthands', () => {
    const names = RUN_FLAGS.map((f) => f.name);
    const shorts = RUN_FLAGS.flatMap((f) => (f.short ? [f.short] : []));
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(shorts).size).toBe(shorts.length);
  });

  it.each(RUN_FLAGS.map((f) => [f.name, f] as const))('--%s parses in both forms', (name, f) => {
    const sample: Record<string, string> = { D: '5s', 'D:N': '5s:1', 'K=V': 'k=v', 'HOST:PORT': 'localhost:6565', N: '2', MB: '256', SIZE: '2GB', MODE: 'full', FORMAT: 'json', 'NAME=ARG': 'record=run.json' };
    const value = f.value ? (sample[f.value] ?? 'x') : undefined;
    const spaced = value === undefined ? [`--${name}`] : [`--${name}`, value];
    const joined = value === undefined ? [`--${name}=true`] : [`--${name}=${value}`];
    expect(run('run', ...spaced, 's.ts')).toEqual(run('run', ...joined, 's.ts'));
    expect(run('run', ...spaced, 's.ts')).not.toEqual(defaults);
  });
});
