import { constants as bufferConstants } from 'node:buffer';
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

/** The default of the maxResponseBodySize option: 256 MiB (a text body must also fit in a V8 string, 512 MiB). */
export const DEFAULT_MAX_RESPONSE_BODY = 256 * 2 ** 20;

/** '256 MiB', '1.5 MB', '300 B': a limit as the error message shows it. */
function sizeText(bytes: number): string {
  if (bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20} MiB`;
  if (bytes % 2 ** 10 === 0) return `${bytes / 2 ** 10} KiB`;
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${bytes} B`;
}

/** The failure of a response whose body (as received, or decoded) is longer than the limit a VU keeps. */
export function bodyTooLarge(limit: number): RequestFailure {
  return new RequestFailure(`response body too large: over maxResponseBodySize (${sizeText(limit)}), read and counted but not kept`, K6_ERROR.generic);
}

/** The body as text; a RequestFailure, not V8's RangeError, when it cannot be one string. */
export function bodyText(buf: Buffer): string {
  if (buf.length > bufferConstants.MAX_STRING_LENGTH) {
    throw new RequestFailure(`response body too large for a string (over ${sizeText(bufferConstants.MAX_STRING_LENGTH)}): use responseType 'binary' or 'none', or a lower maxResponseBodySize`, K6_ERROR.generic);
  }
  return buf.toString('utf8');
}

/**
 * Decodes a Content-Encoding (gzip, deflate, br; several comma-separated are undone in reverse), as
 * k6 does for every response. Throws a RequestFailure with k6's code 1701 on corrupt data, and
 * bodyTooLarge() when the decoded body would be longer than `maxBytes`.
 */
export function decodeContent(buf: Buffer, contentEncoding: string | string[] | undefined, maxBytes: number = DEFAULT_MAX_RESPONSE_BODY): Buffer {
  if (contentEncoding === undefined || buf.length === 0) return buf;
  const list = (Array.isArray(contentEncoding) ? contentEncoding.join(',') : contentEncoding).split(',');
  const limit = { maxOutputLength: Math.min(maxBytes, bufferConstants.MAX_LENGTH) };
  let out = buf;
  for (let i = list.length - 1; i >= 0; i--) {
    const enc = list[i]!.trim().toLowerCase();
    try {
      if (enc === 'gzip' || enc === 'x-gzip') out = gunzipSync(out, limit);
      else if (enc === 'deflate') out = out.length > 0 && (out[0]! & 0x0f) === 8 ? inflateSync(out, limit) : inflateRawSync(out, limit);
      else if (enc === 'br') out = brotliDecompressSync(out, limit);
      else if (enc === '' || enc === 'identity') continue;
      else return out; // unknown coding: leave the bytes as they are
    } catch (e) {
      if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw bodyTooLarge(maxBytes);
      throw new RequestFailure(`error decompressing response body (${enc}: ${(e as Error).message})`, K6_ERROR.decompression);
    }
  }
  return out;
}
