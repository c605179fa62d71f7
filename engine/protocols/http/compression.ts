import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

/** Request-body codings loadts can apply (k6's `compression` param, without zstd). */
export const COMPRESSIONS = ['gzip', 'deflate', 'br'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

/**
 * Parses k6's `compression` param: one algorithm or a comma-separated list, applied in order.
 * '' or undefined means none. Throws a TypeError naming the supported ones otherwise.
 */
export function parseCompression(spec: string | undefined): Compression[] | undefined {
  if (spec === undefined) return undefined;
  if (typeof spec !== 'string') throw new TypeError(`params.compression must be a string such as 'gzip' or 'gzip, br', got ${JSON.stringify(spec)}`);
  const trimmed = spec.trim();
  if (trimmed === '') return undefined;
  return trimmed.split(',').map((a) => {
    const algo = a.trim().toLowerCase();
    if (!(COMPRESSIONS as readonly string[]).includes(algo)) {
      const hint = algo === 'zstd' ? ' (zstd needs Node 22.15+; loadts runs on Node 20)' : '';
      throw new TypeError(`params.compression: unknown compression algorithm ${JSON.stringify(a.trim())}${hint}, supported algorithms are ${COMPRESSIONS.join(', ')}`);
    }
    return algo as Compression;
  });
}

/**
 * Compresses a request body with each algorithm in turn (as k6 does: 'gzip, br' gzips, then
 * brotli-compresses the result) and returns the bytes and the Content-Encoding value ('gzip, br').
 * deflate is the zlib format, as Go's compress/zlib writes it.
 */
export function compressBody(body: string | Buffer, algos: readonly Compression[]): { body: Buffer; contentEncoding: string } {
  let out = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  for (const algo of algos) {
    if (algo === 'gzip') out = gzipSync(out);
    else if (algo === 'deflate') out = deflateSync(out);
    else out = brotliCompressSync(out);
  }
  return { body: out, contentEncoding: algos.join(', ') };
}
