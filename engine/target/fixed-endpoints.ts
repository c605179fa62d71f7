/** Endpoints whose answer the request's path decides: /status/:code, /delay/:ms, /bytes/:n, /json, /gzip /deflate /brotli, /headers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { headerObject } from './httpbin-forms.js';
import { int, MAX_BYTES, MAX_DELAY_MS, sendJson, status, type Headers } from './respond.js';
import { Schedule } from './schedule.js';

const JSON_DOC = Buffer.from(
  JSON.stringify({
    slideshow: {
      author: 'loadts',
      date: '2024-01-01',
      title: 'Sample Slide Show',
      slides: [
        { title: 'Wake up to loadts', type: 'all' },
        { title: 'Overview', type: 'all', items: ['Why load test', 'Who runs the tests'] },
      ],
    },
  }),
);

/** The JSON document compressed, by endpoint name (gzip, deflate, brotli). */
export const COMPRESSED: Readonly<Record<string, { encoding: string; body: Buffer }>> = {
  gzip: { encoding: 'gzip', body: gzipSync(JSON_DOC) },
  deflate: { encoding: 'deflate', body: deflateSync(JSON_DOC) },
  brotli: { encoding: 'br', body: brotliCompressSync(JSON_DOC) },
};

/** /status/:code: that status (200-599); 3xx carry a Location, 401 a Basic challenge. */
export function statusCode(res: ServerResponse, arg: string | undefined): void {
  const code = Number(arg);
  if (!Number.isInteger(code) || code < 200 || code > 599) return sendJson(res, 400, { error: `invalid status ${JSON.stringify(arg)}: use 200-599` });
  const extra: Headers = code >= 300 && code < 400 ? { location: '/get' } : {};
  if (code === 401) extra['www-authenticate'] = 'Basic realm="loadts"';
  status(res, code, extra);
}

/** /delay/:ms: responds after ms milliseconds, to the sub-millisecond (see Schedule). */
export function delay(req: IncomingMessage, res: ServerResponse, arg: string): void {
  const ms = int(arg, 0, MAX_DELAY_MS);
  req.resume(); // discard any body
  new Schedule(res).at(performance.now() + ms, () => sendJson(res, 200, { delay_ms: ms }));
}

/** /bytes/:n: n bytes of a-z repeated; buffers up to 1 MiB are kept in `cache` (64 at most). */
export function bytes(res: ServerResponse, arg: string, cache: Map<number, Buffer>): void {
  const n = int(arg, 0, MAX_BYTES);
  let buf = cache.get(n);
  if (buf === undefined) {
    buf = Buffer.alloc(n, 'abcdefghijklmnopqrstuvwxyz');
    if (n <= 1 << 20 && cache.size < 64) cache.set(n, buf);
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': n });
  res.end(buf);
}

/** /json: the fixed document. */
export function jsonDocument(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': JSON_DOC.length });
  res.end(JSON_DOC);
}

/** /gzip, /deflate, /brotli: the document, compressed. */
export function compressed(res: ServerResponse, c: { encoding: string; body: Buffer }): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': c.encoding, 'content-length': c.body.length });
  res.end(c.body);
}

/** /headers: the request headers as JSON. */
export function headers(req: IncomingMessage, res: ServerResponse): void {
  sendJson(res, 200, { headers: headerObject(req) });
}
