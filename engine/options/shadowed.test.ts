import { describe, expect, it } from 'vitest';
import { resolveOptions, type OptionLayer } from './resolve.js';
import type { Options } from './types.js';

const layer = (source: string, options: Record<string, unknown>): OptionLayer => ({ source, options: options as Options });
const config = (o: Record<string, unknown>) => layer('config file c.yaml', o);
const script = (o: Record<string, unknown>) => layer('script', o);

describe('values a higher layer overrides are validated too', () => {
  it('a bad vus in the config file is an error even when the script sets vus', () => {
    expect(() => resolveOptions([config({ vus: -1 }), script({ vus: 5 })])).toThrow(/^invalid option vus \(config file c\.yaml\): /);
  });

  it('a bad duration dropped by the script\'s iterations is an error, naming the config file', () => {
    expect(() => resolveOptions([config({ duration: '10 sekunden' }), script({ iterations: 3 })])).toThrow(/duration \(config file c\.yaml\)/);
  });

  it('a bad threshold overridden by the command line is an error', () => {
    expect(() => resolveOptions([script({ thresholds: { http_req_duration: ['p95<200'] } }), layer('command line', { thresholds: {} })])).toThrow(/p95<200/);
  });

  it('a sequence alone in a lower layer is checked for syntax only (the segment may come from above)', () => {
    const seq = layer('environment', { executionSegmentSequence: '0,1/3,2/3,1' });
    const ok = resolveOptions([seq, layer('command line', { executionSegment: '1/3:2/3', executionSegmentSequence: '0,1/3,2/3,1' })]);
    expect(ok.executionSegment).toBe('1/3:2/3');
    expect(() => resolveOptions([layer('environment', { executionSegmentSequence: '0,x,1' }), layer('command line', { executionSegmentSequence: '0,1' })])).toThrow(/executionSegmentSequence/);
  });

  it('valid overridden values pass, and the highest layer wins', () => {
    const o = resolveOptions([config({ vus: 2, duration: '5s', userAgent: 'a' }), script({ vus: 3, iterations: 6, userAgent: 'b' })]);
    expect(o.userAgent).toBe('b');
    expect(o.scenarios[0]).toMatchObject({ executor: 'shared-iterations', vus: 3, iterations: 6 });
  });
});
