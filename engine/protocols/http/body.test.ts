import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeContent, encodeBody } from './body.js';
import { RequestFailure } from './error-codes.js';

describe('encodeBody', () => {
  it('strings pass through; bytes are not copied', () => {
    const h: Record<string, string> = {};
    expect(encodeBody('abc', h)).toBe('abc');
    const bytes = new Uint8Array([1, 2, 3, 4]).subarray(1, 3);
    const buf = encodeBody(bytes, h) as Buffer;
    expect([...buf]).toEqual([2, 3]);
    expect(buf.buffer).toBe(bytes.buffer);
    expect(h).toEqual({});
    expect(encodeBody(undefined, h)).toBeUndefined();
    expect(encodeBody(null, h)).toBeUndefined();
  });

  it('objects become a form, with a content type unless one is set', () => {
    const h: Record<string, string> = {};
    expect(encodeBody({ q: 'a&b', n: 1, on: true, many: [1, 2] }, h)).toBe('q=a%26b&n=1&on=true&many=1&many=2');
    expect(h['content-type']).toBe('application/x-www-form-urlencoded');
    const h2: Record<string, string> = { 'content-type': 'text/x-custom' };
    encodeBody({ a: 1 }, h2);
    expect(h2['content-type']).toBe('text/x-custom');
  });

  it('anything else is a TypeError', () => {
    expect(() => encodeBody(42 as never, {})).toThrow(TypeError);
  });
});

describe('decodeContent', () => {
  const text = Buffer.from('hello, hello, hello');
  it.each([
    ['gzip', gzipSync(text)],
    ['x-gzip', gzipSync(text)],
    ['deflate', deflateSync(text)],
    ['deflate', deflateRawSync(text)],
    ['br', brotliCompressSync(text)],
    ['gzip, br', brotliCompressSync(gzipSync(text))],
    ['identity', text],
    ['zstd-unknown', text],
  ])('%s', (enc, data) => expect(decodeContent(data, enc).toString()).toBe('hello, hello, hello'));

  it('corrupt data is k6 error 1701', () => {
    try {
      decodeContent(Buffer.from('not gzip'), 'gzip');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RequestFailure);
      expect((e as RequestFailure).errorCode).toBe(1701);
    }
  });
});
