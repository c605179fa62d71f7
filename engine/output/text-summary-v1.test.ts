import { describe, expect, it } from 'vitest';
import { MetricsAggregate } from '../metrics/aggregate.js';
import { sampleInput } from './fixtures.js';
import { buildSummaryData } from './summary-data.js';
import { buildSummaryReport, hiddenIn, sectionOf } from './summary-report.js';
import { textSummaryV1 } from './text-summary-v1.js';

const data = buildSummaryData(sampleInput());
const opts = { enableColors: false, summaryTrendStats: data.options.summaryTrendStats, summaryTimeUnit: '' };

describe("k6 1.x's end-of-test summary (compact)", () => {
  it('prints THRESHOLDS, then TOTAL RESULTS: checks_total/succeeded/failed, the checks, and the metrics by section', () => {
    const text = textSummaryV1(buildSummaryReport(data, new MetricsAggregate(), 'compact', 41_200), opts);
    expect(text).toBe(
      [
        '  █ THRESHOLDS',
        '',
        '    http_req_duration',
        "    ✓ 'p(95)<500' p(95)=215.95ms",
        "    ✗ 'avg<100' avg=144.56ms",
        '',
        '      {status:200}',
        "      ✓ 'p(95)<250' p(95)=210ms",
        '',
        '    http_req_failed',
        "    ✓ 'rate<0.01' rate=0.00%",
        '',
        '',
        '  █ TOTAL RESULTS',
        '',
        '    checks_total.......: 90     2.184466/s',
        '    checks_succeeded...: 50.00% 45 out of 90',
        '    checks_failed......: 50.00% 45 out of 90',
        '',
        '    ✓ status is 200',
        '    ✗ body ok',
        '      ↳  40% — ✓ 30 / ✗ 44',
        '    ✗ added',
        '      ↳  66% — ✓ 2 / ✗ 1',
        '    ✓ paid',
        '',
        '    HTTP',
        '    http_req_duration..............: avg=144.56ms min=104.11ms med=110.47ms max=1.14s p(90)=203.54ms p(95)=215.95ms',
        '      { expected_response:true }...: avg=144.56ms min=104.11ms med=110.47ms max=1.14s p(90)=203.54ms p(95)=215.95ms',
        '      { status:200 }...............: avg=120ms    min=100ms    med=110ms    max=300ms p(90)=200ms    p(95)=210ms',
        '    http_req_failed................: 0.00%  0 out of 180',
        '    http_reqs......................: 180    4.369384/s',
        '',
        '    EXECUTION',
        '    iteration_duration.............: avg=12.91s   min=12.53s   med=12.77s   max=1m14s p(90)=13.36s   p(95)=13.37s',
        '    vus............................: 1      min=1        max=19',
        '',
        '    NETWORK',
        '    data_received..................: 1.3 MB 31 kB/s',
        '    data_sent......................: 81 kB  2.0 kB/s',
      ].join('\n'),
    );
  });

  it('sections and what each mode hides, as k6', () => {
    expect(['http_reqs', 'vus_max', 'data_sent', 'iteration_errors', 'sse_event_interval', 'llm_time_to_first_token', 'my_trend', 'ws_ping'].map(sectionOf)).toEqual([
      'http',
      'execution',
      'network',
      'execution',
      'sse',
      'llm',
      'custom',
      'websocket',
    ]);
    expect(hiddenIn('compact', 'http_req_blocked')).toBe(true);
    expect(hiddenIn('full', 'http_req_blocked')).toBe(false);
    expect(hiddenIn('full', 'checks')).toBe(true);
    expect(hiddenIn('full', 'group_duration{group:::a}')).toBe(true);
  });

  it('full mode shows the timing metrics compact leaves out; colours when asked', () => {
    const full = textSummaryV1(buildSummaryReport(data, new MetricsAggregate(), 'full', 41_200), opts);
    expect(full).toMatch(/^ {4}http_req_receiving\.+: avg=663\.96µs/m);
    const coloured = textSummaryV1(buildSummaryReport(data, new MetricsAggregate(), 'compact', 41_200), { ...opts, enableColors: true });
    expect(coloured).toContain('\x1b[1mTOTAL RESULTS\x1b[0m');
    expect(coloured).toContain('\x1b[32m✓\x1b[0m');
  });
});
