import { describe, expect, it } from 'vitest';
import { decodeContent } from './body.js';
import { compressBody, parseCompression } from './compression.js';

describe('request body compression (k6 params.compression)', () => {
  it('parses one algorithm or a list; empty is none; unknown ones are a TypeError that lists the supported', () => {
    expect(parseCompression(undefined)).toBeUndefined();
    expect(parseCompression('  ')).toBeUndefined();
    expect(parseCompression('gzip')).toEqual(['gzip']);
    expect(parseCompression(' GZIP , br,deflate ')).toEqual(['gzip', 'br', 'deflate']);
    expect(() => parseCompression('lzma')).toThrow(/unknown compression algorithm "lzma", supported algorithms are gzip, deflate, br/);
    expect(() => parseCompression('zstd')).toThrow(/Node 22/);
    expect(() => parseCompression(1 as never)).toThrow(TypeError);
  });

  it('each algorithm in order; the Content-Encoding lists them; decoding undoes them in reverse', () => {
    const text = 'hello '.repeat(500);
    for (const spec of ['gzip', 'deflate', 'br', 'gzip, br', 'br, deflate, gzip']) {
      const algos = parseCompression(spec)!;
      const { body, contentEncoding } = compressBody(text, algos);
      expect(contentEncoding).toBe(algos.join(', '));
      expect(body.length).toBeLessThan(text.length);
      expect(decodeContent(body, contentEncoding).toString()).toBe(text);
    }
    const bytes = Buffer.from([1, 2, 3, 4, 5]);
    expect([...decodeContent(compressBody(bytes, ['gzip']).body, 'gzip')]).toEqual([1, 2, 3, 4, 5]);
  });
});
