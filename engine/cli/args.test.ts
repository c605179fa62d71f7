import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.js';

describe('parseArgs', () => {
  it('reads every run flag, in both --flag value and --flag=value forms', () => {
    const c = parseArgs([
      'run', '-u', '5', '--duration=10s', '-i', '100', '-s', '5s:10', '--stage', '10s:0', '-e', 'A=1', '--env=B=x=y', '--tag', 'team=qa',
      '-c', 'cfg.yaml', '--summary-export', 'out.json', '--summary-trend-stats', 'avg,p(99)', '--summary-time-unit', 'ms', '--no-summary',
      '--no-thresholds', '--workers', '2', '-q', '--no-color', '--execution-segment', '0:1/2', '--execution-segment-sequence', '0,1/2,1',
      '--address', '127.0.0.1:6565', '--user-agent', 'ua', '--discard-response-bodies', '--no-connection-reuse', '--insecure-skip-tls-verify',
      '--max-redirects', '3', 'script.ts',
    ]);
    expect(c).toMatchObject({
      command: 'run',
      script: 'script.ts',
      configPath: 'cfg.yaml',
      env: { A: '1', B: 'x=y' },
      summaryExport: 'out.json',
      noSummary: true,
      noThresholds: true,
      workers: 2,
      quiet: true,
      noColor: true,
      address: '127.0.0.1:6565',
      options: {
        vus: 5,
        duration: '10s',
        iterations: 100,
        stages: [{ duration: '5s', target: 10 }, { duration: '10s', target: 0 }],
        tags: { team: 'qa' },
        summaryTrendStats: ['avg', 'p(99)'],
        summaryTimeUnit: 'ms',
        executionSegment: '0:1/2',
        executionSegmentSequence: '0,1/2,1',
        userAgent: 'ua',
        discardResponseBodies: true,
        noConnectionReuse: true,
        insecureSkipTLSVerify: true,
        maxRedirects: 3,
      },
    });
  });
  it.each([
    [['run', '--vsu', '3', 's.ts'], /unknown flag --vsu for "loadts run" \(did you mean --vus\?\)/],
    [['run', '-u', 'ten', 's.ts'], /-u needs a whole number, got "ten"/],
    [['run', '-e', 'NOEQUALS', 's.ts'], /-e needs KEY=VALUE/],
    [['run'], /missing script: loadts run/],
    [['run', 'a.ts', 'b.ts'], /one script at a time/],
    [['run', 's.ts', '--duration'], /--duration needs a value/],
    [['launch', 's.ts'], /unknown command "launch"/],
    [['s.ts'], /did you mean loadts run s\.ts/],
    [['serve', '--port', '99999'], /--port must be at most 65535/],
  ])('%j', (argv, message) => expect(() => parseArgs(argv)).toThrow(message));
  it('help, version, serve', () => {
    expect(parseArgs([])).toEqual({ command: 'help', topic: undefined });
    expect(parseArgs(['run', '--help'])).toEqual({ command: 'help', topic: 'run' });
    expect(parseArgs(['--version'])).toEqual({ command: 'version' });
    expect(parseArgs(['serve', '--port=4000'])).toEqual({ command: 'serve', port: 4000, host: '127.0.0.1' });
  });
});
