import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPECTED_STATUSES, expectedStatuses } from './expected-statuses.js';

describe('expectedStatuses', () => {
  it("k6's default is 200-399", () => {
    expect([0, 199, 200, 304, 399, 400, 500].map(DEFAULT_EXPECTED_STATUSES)).toEqual([false, false, true, true, true, false, false]);
  });

  it('statuses and inclusive ranges', () => {
    const ok = expectedStatuses(200, 404, { min: 500, max: 502 });
    expect([200, 201, 404, 499, 500, 502, 503, 0, 1200, 200.5].map(ok)).toEqual([true, false, true, false, true, true, false, false, false, false]);
    expect(expectedStatuses(0)(0)).toBe(true);
  });

  it('rejects what is not a status or a range, saying which argument', () => {
    expect(() => expectedStatuses(200, 'x' as never)).toThrow(/argument 2/);
    expect(() => expectedStatuses(1.5)).toThrow(/not a status code/);
    expect(() => expectedStatuses({ min: 500, max: 400 })).toThrow(/min 500 is greater than max 400/);
    expect(() => expectedStatuses({ min: 1 } as never)).toThrow(/\{min, max\}/);
  });
});
