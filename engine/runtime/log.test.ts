import { describe, expect, it } from 'vitest';
import { RateLimitedLog, userFrame } from './log.js';

describe('RateLimitedLog', () => {
  it('prints the first few of each key and counts the rest', () => {
    const lines: string[] = [];
    const log = new RateLimitedLog((l) => lines.push(l), { perKey: 2, maxLines: 100 });
    for (let i = 0; i < 5; i++) log.error('TypeError@script.ts:3:9', `boom ${i}`);
    log.error('Error@script.ts:9:1', 'other');
    expect(lines).toEqual(['boom 0', 'boom 1 (further occurrences are counted, not printed)', 'other']);
    expect([log.total, log.suppressed]).toEqual([6, 3]);
  });

  it('caps the lines printed in all, however many distinct errors there are', () => {
    const lines: string[] = [];
    const log = new RateLimitedLog((l) => lines.push(l), { perKey: 5, maxLines: 10 });
    for (let i = 0; i < 20_000; i++) log.error(`key ${i}`, `error ${i}`);
    expect(lines).toHaveLength(10);
    expect(lines[9]).toContain('the log is full');
    expect([log.total, log.suppressed]).toEqual([20_000, 19_990]);
  });
});

describe('userFrame', () => {
  it("names the user's frame, skipping loadts's own (tsc build, bundle) and node_modules", () => {
    const err = new Error('x');
    err.stack = [
      'Error: x',
      '    at request (file:///opt/app/node_modules/loadts/dist/bundle/chunks/chunk-AB12.js:10:5)',
      '    at get (file:///opt/app/node_modules/loadts/dist/api/http.js:3:1)',
      '    at helper (/opt/app/node_modules/some-lib/index.js:1:1)',
      '    at default (file:///opt/app/tests/script.ts:12:7)',
    ].join('\n');
    expect(userFrame(err, '/opt/app/tests/script.ts')).toBe('script.ts:12:7');
  });
});
