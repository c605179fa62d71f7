import { describe, expect, it } from 'vitest';
import { formatLogLine, goQuote, rfc3339 } from './log-format.js';

const T0 = Date.UTC(2025, 4, 1, 10, 0, 0);
const at = (ms: number) => ({ startedAtMs: T0, nowMs: T0 + ms });

describe("log lines as k6's logger (logrus) prints them", () => {
  it('text, not a terminal: logfmt with time, level, msg, then the fields sorted; values quoted only when needed', () => {
    const line = formatLogLine({ format: 'text', colors: false, startedAtMs: T0 }, 'info', 'hello world', { source: 'console' }, at(0).nowMs);
    expect(line).toBe(`time="${rfc3339(T0)}" level=info msg="hello world" source=console\n`);
    expect(formatLogLine({ format: 'text', colors: false, startedAtMs: T0 }, 'warning', 'plain', { b: 'x y', a: '1' }, T0)).toBe(`time="${rfc3339(T0)}" level=warning msg=plain a=1 b="x y"\n`);
  });

  it('text on a terminal: coloured level, seconds since the start, the message padded to 44', () => {
    const line = formatLogLine({ format: 'text', colors: true, startedAtMs: T0 }, 'info', 'hi', { source: 'console' }, T0 + 3_500);
    expect(line).toBe(`\x1b[36mINFO\x1b[0m[0003] ${'hi'.padEnd(44)}  \x1b[36msource\x1b[0m=console\n`);
    expect(formatLogLine({ format: 'text', colors: true, startedAtMs: T0 }, 'error', 'x', {}, T0)).toMatch(/^\x1b\[31mERRO\x1b\[0m\[0000\] x/);
    expect(formatLogLine({ format: 'text', colors: true, startedAtMs: T0 }, 'warning', 'x', {}, T0)).toMatch(/^\x1b\[33mWARN/);
    expect(formatLogLine({ format: 'text', colors: true, startedAtMs: T0 }, 'debug', 'x', {}, T0)).toMatch(/^\x1b\[37mDEBU/);
  });

  it('json: every key sorted; raw: the message alone', () => {
    expect(formatLogLine({ format: 'json', colors: false, startedAtMs: T0 }, 'error', 'bad "x"', { source: 'console' }, T0)).toBe(
      `{"level":"error","msg":"bad \\"x\\"","source":"console","time":"${rfc3339(T0)}"}\n`,
    );
    expect(formatLogLine({ format: 'raw', colors: false, startedAtMs: T0 }, 'info', 'just this\n', { source: 'console' }, T0)).toBe('just this\n');
  });

  it("quotes as Go's %q and prints time as RFC 3339 with the local offset", () => {
    expect(goQuote('a\nb\t"c"\\\u0001é')).toBe('"a\\nb\\t\\"c\\"\\\\\\x01é"');
    expect(rfc3339(T0)).toMatch(/^2025-05-0[12]T\d\d:00:00(Z|[+-]\d\d:\d\d)$/);
  });
});
