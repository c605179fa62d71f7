import { afterEach, describe, expect, it } from 'vitest';
import { goDuration, goJsonString, goTagsJson, LocalTimeFormat } from './go-format.js';

describe("Go's formatting, as k6 writes its JSON", () => {
  it("strings with HTML characters escaped, as Go's encoding/json", () => {
    expect(goJsonString('a<b>&"c"\\d\n')).toBe('"a\\u003cb\\u003e\\u0026\\"c\\"\\\\d\\n"');
    expect(goJsonString('\b\f\u2028\u2029')).toBe('"\\b\\f\\u2028\\u2029"');
    expect(goTagsJson({ url: 'http://x/?a=1&b=2', method: 'GET', a: '' })).toBe('{"a":"","method":"GET","url":"http://x/?a=1\\u0026b=2"}');
  });

  it("durations as time.Duration.String()", () => {
    expect([0, 500, 1000, 10_000, 90_000, 3_723_500, 1.5].map(goDuration)).toEqual(['0s', '500ms', '1s', '10s', '1m30s', '1h2m3.5s', '1.5ms']);
  });
});

describe('LocalTimeFormat', () => {
  const tz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = tz;
    if (tz === undefined) delete process.env.TZ;
  });
  const at = Date.UTC(2021, 1, 24, 13, 37, 10);

  it("RFC3339Nano: µs, trailing zeros dropped, 'Z' at UTC", () => {
    process.env.TZ = 'UTC';
    const f = new LocalTimeFormat();
    const us = at * 1000;
    expect(f.rfc3339Nano(us)).toBe('2021-02-24T13:37:10Z');
    expect(f.rfc3339Nano(us + 625742)).toBe('2021-02-24T13:37:10.625742Z');
    expect(f.rfc3339Nano(us + 500000)).toBe('2021-02-24T13:37:10.5Z');
    expect(f.rfc3339Nano(us + 1)).toBe('2021-02-24T13:37:10.000001Z');
    expect(f.rfc3339(us + 999999)).toBe('2021-02-24T13:37:10Z');
    expect(LocalTimeFormat.micros(at + 0.6257421)).toBe(us + 626);
  });

  it('the local offset, as Go prints a time.Now()', () => {
    process.env.TZ = 'Europe/Berlin';
    const f = new LocalTimeFormat();
    expect(f.rfc3339Nano(at * 1000 + 250)).toBe('2021-02-24T14:37:10.00025+01:00');
    expect(f.rfc3339(Date.UTC(2021, 6, 1, 0, 0, 0) * 1000)).toBe('2021-07-01T02:00:00+02:00');
    process.env.TZ = 'America/St_Johns';
    expect(new LocalTimeFormat().rfc3339(at * 1000)).toBe('2021-02-24T10:07:10-03:30');
  });
});
