import { describe, expect, it } from 'vitest';
import { markThrowSites } from './throw-sites.js';

describe('markThrowSites', () => {
  it("wraps the script's thrown values, not `throw new X()`, and keeps every line where it was", () => {
    const code = ['// script.ts', 'function f(x) {', '  if (x) throw "oops " + x;', '  throw new Error("e");', '}', 'const s = "throw me";'].join('\n');
    const out = markThrowSites(code);
    expect(out).toBe(['// script.ts', 'function f(x) {', '  if (x) throw __loadtsThrow("oops " + x);', '  throw new Error("e");', '}', 'const s = "throw me";'].join('\n'));
  });

  it("leaves node_modules' code (esbuild's region comments) alone", () => {
    const code = ['// node_modules/lib/index.js', 'function g() { throw "lib"; }', '', '// script.ts', 'function h() { throw "mine"; }'].join('\n');
    expect(markThrowSites(code)).toBe(['// node_modules/lib/index.js', 'function g() { throw "lib"; }', '', '// script.ts', 'function h() { throw __loadtsThrow("mine"); }'].join('\n'));
  });

  it('returns code it cannot parse unchanged', () => {
    expect(markThrowSites('throw (')).toBe('throw (');
  });
});
