import { describe, expect, it } from 'vitest';
import { usd } from './llm-cost.js';

describe('usd', () => {
  it('rounds half up to the cent whatever order the sum was added in', () => {
    // 0.05 × 20 + 0.045 × 5 summed in two orders: 1.225 and 1.2249999999999999
    const a = [...Array(20).fill(0.05), ...Array(5).fill(0.045)].reduce((s, x) => s + x, 0);
    const b = [...Array(5).fill(0.045), ...Array(20).fill(0.05)].reduce((s, x) => s + x, 0);
    expect(usd(a)).toBe('$1.23');
    expect(usd(b)).toBe('$1.23');
    expect(usd(1.2249999999999999)).toBe('$1.23');
    expect(usd(1.224)).toBe('$1.22');
  });

  it('keeps three significant digits below a dollar, and $0 for nothing', () => {
    expect(usd(0.049)).toBe('$0.0490');
    expect(usd(0.00012345)).toBe('$0.000123');
    expect(usd(0)).toBe('$0');
  });
});
