import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { K6_ERROR, RequestFailure } from './error-codes.js';
import { encodeMultipart, FileData, hasFile, type FormValue } from './multipart.js';

/**
 * A request body: text, bytes, or a plain object sent form-urlencoded, or multipart/form-data when a
 * value is a file from http.file() (as k6 does).
 */
export type RequestBody = string | ArrayBuffer | ArrayBufferView | Record<string, FormValue | ReadonlyArray<FormValue>>;

/**
 * The bytes to send for `body`. An object becomes application/x-www-form-urlencoded, or
 * multipart/form-data (with a fresh boundary) when one of its values is a FileData, and sets that
 * Content-Type unless `headers` (lower-case names) already has one. Bytes are not copied.
 */
export function encodeBody(body: RequestBody | null | undefined, headers: Record<string, string>): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'object') {
    if (body instanceof FileData) throw new TypeError('a file from http.file() goes inside an object body: http.post(url, { field: http.file(data, "name.bin") })');
    if (hasFile(body)) {
      const { body: bytes, contentType } = encodeMultipart(body);
      if (headers['content-type'] === undefined) headers['content-type'] = contentType;
      return bytes;
    }
    if (headers['content-type'] === undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams();
    for (const key of Object.keys(body)) {
      const v = body[key];
      if (Array.isArray(v)) for (const item of v) form.append(key, String(item));
      else if (v !== undefined) form.append(key, String(v));
    }
    return form.toString();
  }
  throw new TypeError(`invalid request body: expected a string, ArrayBuffer, typed array or object, got ${typeof body}`);
}

/** Joins received chunks without copying when there is only one. */
export function joinChunks(chunks: Buffer[]): Buffer {
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/**
 * Decodes a Content-Encoding (gzip, deflate, br; several comma-separated are undone in reverse), as
 * k6 does for every response. Throws a RequestFailure with k6's code 1701 on corrupt data.
 */
export function decodeContent(buf: Buffer, contentEncoding: string | string[] | undefined): Buffer {
  if (contentEncoding === undefined || buf.length === 0) return buf;
  const list = (Array.isArray(contentEncoding) ? contentEncoding.join(',') : contentEncoding).split(',');
  let out = buf;
  for (let i = list.length - 1; i >= 0; i--) {
    const enc = list[i]!.trim().toLowerCase();
    try {
      if (enc === 'gzip' || enc === 'x-gzip') out = gunzipSync(out);
      else if (enc === 'deflate') out = out.length > 0 && (out[0]! & 0x0f) === 8 ? inflateSync(out) : inflateRawSync(out);
      else if (enc === 'br') out = brotliDecompressSync(out);
      else if (enc === '' || enc === 'identity') continue;
      else return out; // unknown coding: leave the bytes as they are
    } catch (e) {
      throw new RequestFailure(`error decompressing response body (${enc}: ${(e as Error).message})`, K6_ERROR.decompression);
    }
  }
  return out;
}
