/** What a hop's exchange becomes: the sample the sink gets (every hop), and the script's HttpResponse (the last hop). */
import { STATUS_CODES } from 'node:http';
import type { TagSet } from '../../metrics/tags.js';
import { redactUrl } from '../../redact.js';
import { bodyText, bodyTooLarge, decodeContent, joinChunks } from './body.js';
import { classifyError, isVuAbort, K6_ERROR, RequestFailure } from './error-codes.js';
import type { Exchange } from './exchange.js';
import type { HttpSampleSink, ResponseCallback } from './http-types.js';
import { HttpResponse, RequestInfo } from './response.js';
import type { Target } from './target.js';
import { zeroTimings, type Timings } from './timings.js';
import { urlTagGuard, type UrlTagGuard } from './url-tag-guard.js';

const HTTP1 = 'HTTP/1.1';
const HTTP2 = 'HTTP/2.0';
const EMPTY = Buffer.alloc(0);

/** What reportHop reads of a request on the wire. */
type Sent = Pick<Exchange, 'status' | 'connection' | 'bytesRead' | 'bytesWritten' | 'headers' | 'recorded'>;
/** A request that never reached the network (an invalid URL). */
const NOT_SENT: Sent = { status: 0, connection: undefined, bytesRead: 0, bytesWritten: 0, headers: undefined, recorded: false };

/** Reports one hop to the sink (`clean`: its URL as tagged); returns the classified error, if any. */
export function reportHop(sink: HttpSampleSink, ex: Sent, timings: Timings, base: TagSet, name: string | undefined, method: string, clean: string, expected: ResponseCallback | null, failure: unknown): { code: number; message: string } | undefined {
  if (ex.recorded) return failure === undefined ? undefined : classifyError(failure); // its worker's end reported it
  const status = failure === undefined ? ex.status : 0;
  const ok = expected === null || expected(status);
  const urlTag = name ?? clean;
  let tags = base.with('method', method).with('url', urlTag).with('name', urlTag).with('status', String(status));
  if (expected !== null) tags = tags.with('expected_response', ok ? 'true' : 'false');
  let classified: { code: number; message: string } | undefined;
  if (failure !== undefined) {
    classified = classifyError(failure);
    tags = tags.with('error', classified.message).with('error_code', String(classified.code));
  } else {
    tags = tags.with('proto', ex.connection?.h2 === true ? HTTP2 : HTTP1);
    if (status >= 400) tags = tags.with('error_code', String(1000 + status));
  }
  const tlsVersion = ex.connection?.tlsVersion;
  if (tlsVersion) tags = tags.with('tls_version', tlsVersion);
  // A request its VU abandoned (a stop interrupts the iteration) before a byte of it was sent never
  // reached the server: it is not a request, and is not counted (http_reqs is what the server saw).
  if (failure !== undefined && ex.bytesWritten === 0 && isVuAbort(failure)) return classified;
  const rateLimited = status === 429 || (status === 503 && ex.headers?.['retry-after'] !== undefined);
  sink({ tags, timings, failed: !ok, bytesSent: ex.bytesWritten, bytesReceived: ex.bytesRead, rateLimited });
  return classified;
}

/** The script's response to the last hop (`maxBody`: the maxResponseBodySize option), reported to the sink. */
export function finalResponse(
  sink: HttpSampleSink,
  maxBody: number,
  ex: Exchange,
  tags: TagSet,
  name: string | undefined,
  method: string,
  target: Target,
  expected: ResponseCallback | null,
  responseType: string,
  request: RequestInfo,
): HttpResponse {
  // A body past the limit fails the request, as k6 fails one it cannot read (status 0, the error).
  let failure = ex.error === undefined && ex.bodyTooLarge ? bodyTooLarge(maxBody) : ex.error;
  let body: string | ArrayBuffer | null = null;
  if (failure === undefined && responseType !== 'none' && !ex.streamed) {
    try {
      let buf = ex.chunks === undefined || ex.chunks.length === 0 ? EMPTY : joinChunks(ex.chunks);
      buf = decodeContent(buf, ex.headers?.['content-encoding'], maxBody);
      body = responseType === 'binary' ? (buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer) : bodyText(buf);
    } catch (e) {
      failure = e;
    }
  }
  const timings = ex.timings();
  const res = new HttpResponse(target.href, timings, request, failure === undefined ? ex.headers : undefined);
  const info = ex.connection;
  if (info !== undefined) {
    res.remote_ip = info.remoteIp;
    res.remote_port = info.remotePort;
    res.tls_version = info.tlsVersion;
    res.tls_cipher_suite = info.tlsCipherSuite;
  }
  if (failure === undefined) {
    res.status = ex.status;
    res.status_text = `${ex.status} ${ex.statusText === '' ? (STATUS_CODES[ex.status] ?? '') : ex.statusText}`.trimEnd();
    res.proto = info?.h2 === true ? HTTP2 : HTTP1;
    res.body = body;
    if (ex.status >= 400) res.error_code = 1000 + ex.status;
  }
  const classified = reportHop(sink, ex, timings, tags, name, method, target.clean, expected, failure);
  if (classified !== undefined) {
    res.error = classified.message;
    res.error_code = classified.code;
  }
  return res;
}

/** As k6 does for a URL Go cannot send (no or another scheme): not thrown, a failed request (`reason`: why, from parseTarget). */
export function invalidUrlResponse(
  sink: HttpSampleSink,
  urlTags: Pick<UrlTagGuard, 'note'> | undefined,
  reason: string,
  method: string,
  url: string,
  headers: Record<string, string>,
  payload: string | Buffer | undefined,
  tags: TagSet,
  name: string | undefined,
  expected: ResponseCallback | null,
): HttpResponse {
  const shown = redactUrl(url);
  const res = new HttpResponse(shown, zeroTimings(), new RequestInfo(method, shown, headers, payload), undefined);
  const failure = new RequestFailure(reason, K6_ERROR.invalidURL);
  (urlTags ?? urlTagGuard).note(name ?? shown);
  reportHop(sink, NOT_SENT, res.timings, tags, name, method, shown, expected, failure);
  res.error = failure.message;
  res.error_code = failure.errorCode;
  return res;
}
