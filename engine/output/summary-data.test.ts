import { describe, expect, it } from 'vitest';
import { buildSummaryData, pathId } from './summary-data.js';
import { TREND_STATS, sampleInput } from './fixtures.js';

describe('pathId', () => {
  it('is the md5 hex of the path, as k6 (ids from a real k6 handleSummary JSON)', () => {
    expect(pathId('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(pathId('::is status 200')).toBe('548d37ca5f33793206f7832e7cea54fb');
  });
});

describe('buildSummaryData', () => {
  it('builds the group tree as k6: nested groups in first-seen order, checks in their group, md5 ids', () => {
    const data = buildSummaryData(sampleInput());
    expect(data.root_group).toEqual({
      name: '',
      path: '',
      id: 'd41d8cd98f00b204e9800998ecf8427e',
      groups: [
        {
          name: 'cart',
          path: '::cart',
          id: 'f04b3cd05742616746bf38f3dd5f5654',
          groups: [
            {
              name: 'checkout',
              path: '::cart::checkout',
              id: 'a06d8419ae85bbd09f2309b0be2d5886',
              groups: [],
              checks: [{ name: 'paid', path: '::cart::checkout::paid', id: '8f85d676cf53079d6584821be8a29117', passes: 3, fails: 0 }],
            },
          ],
          checks: [{ name: 'added', path: '::cart::added', id: 'd5f9ce98899e063d1d90c1470468c0e7', passes: 2, fails: 1 }],
        },
        { name: 'browse', path: '::browse', id: 'c62c581410cd619dd49525ef1ffbe4b0', groups: [], checks: [] },
      ],
      checks: [
        { name: 'status is 200', path: '::status is 200', id: '6210a8cd14cd70477eba5c5e4cb3fb5f', passes: 10, fails: 0 },
        { name: 'body ok', path: '::body ok', id: '717c5bc66de95f83de0a9d86005d6002', passes: 30, fails: 44 },
      ],
    });
  });

  it('creates implied parent groups, in the order they are first needed', () => {
    const data = buildSummaryData(
      sampleInput({ groupPaths: ['::a::b::c', '::z'], checks: [{ groupPath: '::y::x', name: 'ok', passes: 1, fails: 0 }] }),
    );
    const tree = (g: typeof data.root_group): unknown => ({ [g.path]: g.groups.map(tree) });
    expect(tree(data.root_group)).toEqual({ '': [{ '::a': [{ '::a::b': [{ '::a::b::c': [] }] }] }, { '::z': [] }, { '::y': [{ '::y::x': [] }] }] });
    expect(data.root_group.groups[2]!.groups[0]!.checks[0]!.path).toBe('::y::x::ok');
  });

  it('keeps group names that end in ":" (k6 only forbids "::" inside names)', () => {
    const data = buildSummaryData(sampleInput({ groupPaths: ['::a:::b'], checks: [] }));
    const outer = data.root_group.groups[0]!;
    expect(outer).toMatchObject({ name: 'a:', path: '::a:' });
    expect(outer.groups[0]).toMatchObject({ name: 'b', path: '::a:::b', id: pathId('::a:::b') });
  });

  it('merges repeated checks of one group and path', () => {
    const data = buildSummaryData(
      sampleInput({
        groupPaths: [],
        checks: [
          { groupPath: '::g', name: 'c', passes: 1, fails: 2 },
          { groupPath: '::g', name: 'c', passes: 3, fails: 4 },
        ],
      }),
    );
    expect(data.root_group.groups[0]!.checks).toEqual([{ name: 'c', path: '::g::c', id: pathId('::g::c'), passes: 4, fails: 6 }]);
  });

  it('gives metrics k6 shape: type, contains, values, thresholds as { source: { ok } }', () => {
    const data = buildSummaryData(sampleInput());
    expect(data.metrics.http_req_duration).toEqual({
      type: 'trend',
      contains: 'time',
      values: { avg: 144.56, min: 104.11, med: 110.47, max: 1140.5, 'p(90)': 203.54, 'p(95)': 215.95 },
      thresholds: { 'p(95)<500': { ok: true }, 'avg<100': { ok: false } },
    });
    expect(data.metrics['http_req_duration{status:200}']).toMatchObject({ type: 'trend', thresholds: { 'p(95)<250': { ok: true } } });
    expect(data.metrics['http_req_duration{expected_response:true}']).not.toHaveProperty('thresholds');
    expect(data.metrics.http_reqs).toEqual({ type: 'counter', contains: 'default', values: { count: 180, rate: 4.369384 } });
    expect(data.metrics.checks).toEqual({ type: 'rate', contains: 'default', values: { rate: 0.5, passes: 45, fails: 45 } });
    expect(data.metrics.vus).toEqual({ type: 'gauge', contains: 'default', values: { value: 1, min: 1, max: 19 } });
    expect(Object.keys(data.metrics)).toHaveLength(11);
  });

  it('fills the values of a metric without samples with zeros, as k6 empty sinks report', () => {
    const data = buildSummaryData(
      sampleInput({
        metrics: [
          { key: 'my_trend{tag:x}', def: { name: 'my_trend', type: 'trend', contains: 'time' }, values: {}, thresholds: { 'p(95)<1': true } },
          { key: 'my_counter', def: { name: 'my_counter', type: 'counter', contains: 'default' }, values: {} },
          { key: 'my_rate', def: { name: 'my_rate', type: 'rate', contains: 'default' }, values: {} },
          { key: 'my_gauge', def: { name: 'my_gauge', type: 'gauge', contains: 'default' }, values: {} },
        ],
      }),
    );
    expect(data.metrics['my_trend{tag:x}']!.values).toEqual(Object.fromEntries(TREND_STATS.map((s) => [s, 0])));
    expect(data.metrics.my_counter!.values).toEqual({ count: 0, rate: 0 });
    expect(data.metrics.my_rate!.values).toEqual({ rate: 0, passes: 0, fails: 0 });
    expect(data.metrics.my_gauge!.values).toEqual({ value: 0, min: 0, max: 0 });
  });

  it('does not share the input values objects and omits empty threshold maps', () => {
    const input = sampleInput();
    input.metrics[1]!.thresholds = {};
    const data = buildSummaryData(input);
    expect(data.metrics.data_received!.values).not.toBe(input.metrics[1]!.values);
    expect(data.metrics.data_received).not.toHaveProperty('thresholds');
  });

  it('carries options, state, loadts extras and setup_data; leaves out what is absent', () => {
    const data = buildSummaryData(sampleInput({ setupData: { token: 'abc' } }));
    expect(data.options).toEqual({ summaryTrendStats: TREND_STATS, summaryTimeUnit: '', noColor: false });
    expect(data.state).toEqual({ isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 41_200 });
    expect(data.setup_data).toEqual({ token: 'abc' });
    expect(data.loadts).toMatchObject({ version: 1, state: 'completed', workers: 2 });
    const bare = buildSummaryData(sampleInput({ extras: undefined }));
    expect(bare).not.toHaveProperty('loadts');
    expect(bare).not.toHaveProperty('setup_data');
    expect(Object.keys(bare)).toEqual(['root_group', 'options', 'state', 'metrics']);
  });
});
