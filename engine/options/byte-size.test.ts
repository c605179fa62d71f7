import { describe, expect, it } from 'vitest';
import { byteSize, MAX_BODY_BYTES } from './byte-size.js';

const w = { path: 'maxResponseBodySize', source: 'script', code: 'INVALID_OPTION' as const };

describe('byteSize', () => {
  it('bytes as a number or digits, or a number and a decimal or binary unit', () => {
    expect(byteSize(1024, w)).toBe(1024);
    expect(byteSize('2048', w)).toBe(2048);
    expect(byteSize('256MiB', w)).toBe(256 * 2 ** 20);
    expect(byteSize('500MB', w)).toBe(500e6);
    expect(byteSize('64 kB', w)).toBe(64_000);
    expect(byteSize('1.5GB', w)).toBe(1.5e9);
    expect(byteSize('1gib', w)).toBe(2 ** 30);
  });

  it('one line naming the option and its source for anything else', () => {
    expect(() => byteSize('lots', w)).toThrow('invalid option maxResponseBodySize (script): must be a size in bytes, or with a unit ("256MiB", "500MB", "64kB"), got "lots"');
    expect(() => byteSize('5 parsecs', w)).toThrow(/got "5 parsecs"/);
    expect(() => byteSize(0, w)).toThrow(/between 1 byte and/);
    expect(() => byteSize(-1, w)).toThrow(/between 1 byte and/);
    expect(() => byteSize(MAX_BODY_BYTES + 1, w)).toThrow(/between 1 byte and/);
    expect(() => byteSize(true, w)).toThrow(/got true/);
  });
});
