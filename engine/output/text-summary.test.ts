import { describe, expect, it } from 'vitest';
import { buildSummaryData } from './summary-data.js';
import { textSummary } from './text-summary.js';
import { formatBytes, formatDuration, formatNumber, formatPercent, strWidth } from './format.js';
import { sampleInput } from './fixtures.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[/;

describe('textSummary', () => {
  it("reproduces k6's classic layout line by line", () => {
    const text = textSummary(buildSummaryData(sampleInput()), { enableColors: false });
    expect(text.split('\n')).toEqual([
      '     ✓ status is 200',
      '     ✗ body ok',
      '      ↳  40% — ✓ 30 / ✗ 44',
      '',
      '     █ cart',
      '',
      '       ✗ added',
      '        ↳  66% — ✓ 2 / ✗ 1',
      '',
      '       █ checkout',
      '',
      '         ✓ paid',
      '',
      '     █ browse',
      '',
      '     checks.........................: 50.00% ✓ 45       ✗ 45',
      '     data_received..................: 1.3 MB 31 kB/s',
      '     data_sent......................: 81 kB  2.0 kB/s',
      '   ✗ http_req_duration..............: avg=144.56ms min=104.11ms med=110.47ms max=1.14s  p(90)=203.54ms p(95)=215.95ms',
      '       { expected_response:true }...: avg=144.56ms min=104.11ms med=110.47ms max=1.14s  p(90)=203.54ms p(95)=215.95ms',
      '     ✓ { status:200 }...............: avg=120ms    min=100ms    med=110ms    max=300ms  p(90)=200ms    p(95)=210ms',
      '   ✓ http_req_failed................: 0.00%  ✓ 0        ✗ 180',
      '     http_req_receiving.............: avg=663.96µs min=128.46µs med=759.82µs max=1.66ms p(90)=1.3ms    p(95)=1.46ms',
      '     http_reqs......................: 180    4.369384/s',
      '     iteration_duration.............: avg=12.91s   min=12.53s   med=12.77s   max=1m14s  p(90)=13.36s   p(95)=13.37s',
      '     vus............................: 1      min=1      max=19',
      '',
      '     45 complete and 0 interrupted iterations in 41.2s on 2 worker threads',
    ]);
  });

  it('pads names with dots to the longest display name + 3, sub-metrics counted with their 2-space indent', () => {
    const text = textSummary(buildSummaryData(sampleInput()), { enableColors: false });
    // '  { expected_response:true }' is the longest (28): 'http_req_duration' (17) gets 14 dots, the sub-metric 3.
    expect(text).toContain(`http_req_duration${'.'.repeat(14)}: avg=`);
    expect(text).toContain(`{ expected_response:true }${'.'.repeat(3)}: avg=`);
  });

  it('keeps sub-metrics right under their metric even when a longer name sorts between them', () => {
    const input = sampleInput();
    input.metrics.push({ key: 'http_req_duration_custom', def: { name: 'http_req_duration_custom', type: 'counter', contains: 'default' }, values: { count: 1, rate: 1 } });
    const lines = textSummary(buildSummaryData(input), { enableColors: false }).split('\n');
    const at = (s: string) => lines.findIndex((l) => l.includes(s));
    expect(at('{ expected_response:true }')).toBe(at('http_req_duration.') + 1);
    expect(at('{ status:200 }')).toBe(at('http_req_duration.') + 2);
    expect(at('http_req_duration_custom')).toBe(at('http_req_duration.') + 3);
  });

  it('marks a metric ✗ when any of its thresholds failed, ✓ when all held, nothing without thresholds', () => {
    const text = textSummary(buildSummaryData(sampleInput()), { enableColors: false });
    expect(text).toMatch(/^ {3}✗ http_req_duration\./m);
    expect(text).toMatch(/^ {3}✓ http_req_failed\./m);
    expect(text).toMatch(/^ {5}http_reqs\./m);
  });

  it('forces one time unit with summaryTimeUnit (two decimals), from data.options or the options argument', () => {
    const input = sampleInput({ options: { summaryTrendStats: ['avg', 'max'], summaryTimeUnit: 'ms', noColor: true } });
    const data = buildSummaryData(input);
    expect(textSummary(data)).toMatch(/http_req_receiving\.+: avg=0\.66ms +max=1\.66ms$/m);
    expect(textSummary(data)).toMatch(/iteration_duration\.+: avg=12910\.00ms max=74350\.00ms/);
    expect(textSummary(data, { summaryTimeUnit: 's' })).toMatch(/http_req_duration\.+: avg=0\.14s +max=1\.14s$/m);
    expect(textSummary(data, { summaryTimeUnit: 'us' })).toContain('avg=663.96µs');
  });

  it('shows the trend columns of summaryTrendStats, count as a plain integer', () => {
    const input = sampleInput({ options: { summaryTrendStats: ['count', 'p(99)'], summaryTimeUnit: '', noColor: true } });
    input.metrics = [{ key: 'waiting', def: { name: 'waiting', type: 'trend', contains: 'time' }, values: { count: 1234, 'p(99)': 0.0005 } }];
    expect(textSummary(buildSummaryData(input))).toContain('waiting...: count=1234 p(99)=500ns');
  });

  it('formats plain trends, gauges of time and data rates as k6', () => {
    const input = sampleInput({ checks: [], groupPaths: [] });
    input.metrics = [
      { key: 'size', def: { name: 'size', type: 'trend', contains: 'default' }, values: { avg: 1.23456789, min: 0, med: 1, max: 2, 'p(90)': 2, 'p(95)': 2 } },
      { key: 'lag', def: { name: 'lag', type: 'gauge', contains: 'time' }, values: { value: 1500, min: 0.5, max: 61_000 } },
      { key: 'bytes', def: { name: 'bytes', type: 'counter', contains: 'data' }, values: { count: 5, rate: 2.5 } },
    ];
    const text = textSummary(buildSummaryData(input), { enableColors: false });
    expect(text).toContain('size....: avg=1.234568');
    expect(text).toContain('lag.....: 1.5s min=500µs max=1m1s');
    expect(text).toContain('bytes...: 5 B  2.5 B/s');
  });

  it('starts with the metrics when there are no checks, and adds the end state when the run did not complete', () => {
    const input = sampleInput({ checks: [], groupPaths: [] });
    input.extras = { ...input.extras!, state: 'thresholds-aborted', exitCode: 99 };
    const lines = textSummary(buildSummaryData(input), { enableColors: false, indent: '' }).split('\n');
    expect(lines[0]).toBe('    checks.........................: 50.00% ✓ 45       ✗ 45');
    expect(lines.at(-1)).toBe('    run ended: thresholds-aborted (exit code 99)');
  });

  it('has no ANSI codes with colours off and colours the parts k6 colours with them on', () => {
    const data = buildSummaryData(sampleInput());
    const plain = textSummary(data, { enableColors: false });
    expect(plain).not.toMatch(ANSI);
    const coloured = textSummary(data, { enableColors: true });
    expect(coloured).toMatch(ANSI);
    expect(coloured).toContain('\x1b[32m     ✓ status is 200\x1b[39m');
    expect(coloured).toContain('\x1b[31m     ✗ body ok\x1b[39m');
    expect(coloured).toContain('\x1b[36m1.14s\x1b[39m');
    // Same layout once the codes are gone.
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('defaults to colours unless data.options.noColor, as the k6 jslib defaults to colours', () => {
    expect(textSummary(buildSummaryData(sampleInput()))).toMatch(ANSI);
    const noColor = sampleInput({ options: { summaryTrendStats: ['avg'], summaryTimeUnit: '', noColor: true } });
    expect(textSummary(buildSummaryData(noColor))).not.toMatch(ANSI);
  });

  it('uses the indent option in front of every non-empty line', () => {
    const lines = textSummary(buildSummaryData(sampleInput()), { enableColors: false, indent: '>>' }).split('\n');
    for (const l of lines.filter((x) => x !== '')) expect(l.startsWith('>>')).toBe(true);
  });
});

describe('k6 value formats', () => {
  it('durations: ns, µs, ms, s, m, h, truncated to two decimals', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(0.0005)).toBe('500ns');
    expect(formatDuration(0.007)).toBe('7µs');
    expect(formatDuration(0.51237)).toBe('512.37µs');
    expect(formatDuration(12.349)).toBe('12.34ms');
    expect(formatDuration(1.13)).toBe('1.13ms'); // k6 shows 1.12ms: float noise in trunc(1.13 * 100)
    expect(formatDuration(1234.5)).toBe('1.23s');
    expect(formatDuration(60_000)).toBe('1m0s');
    expect(formatDuration(61_999)).toBe('1m1s');
    expect(formatDuration(3_723_000)).toBe('1h2m3s');
  });

  it('durations in a forced unit', () => {
    expect(formatDuration(1234.5, 's')).toBe('1.23s');
    expect(formatDuration(1.5, 'ms')).toBe('1.50ms');
    expect(formatDuration(1.5, 'us')).toBe('1500.00µs');
    expect(formatDuration(1.5, 'bogus')).toBe('1.5ms');
  });

  it('bytes in SI units, one decimal below 10', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(2_000)).toBe('2.0 kB');
    expect(formatBytes(711_234)).toBe('711 kB');
    expect(formatBytes(1_300_000)).toBe('1.3 MB');
    expect(formatBytes(1_000_000)).toBe('1.0 MB');
    expect(formatBytes(3.3333333)).toBe('3.33 B');
  });

  it('rates as truncated percentages, numbers with up to six decimals', () => {
    expect(formatPercent(0)).toBe('0.00%');
    expect(formatPercent(0.99999)).toBe('99.99%');
    expect(formatPercent(0.29)).toBe('29.00%');
    expect(formatPercent(1)).toBe('100.00%');
    expect(formatNumber(4.3693841)).toBe('4.369384');
    expect(formatNumber(180)).toBe('180');
  });

  it('measures width without ANSI codes', () => {
    expect(strWidth('\x1b[36m512.37µs\x1b[0m')).toBe(8);
  });
});
