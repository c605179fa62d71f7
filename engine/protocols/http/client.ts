import type { Dispatcher } from 'undici';
import type { TagSet } from '../../metrics/tags.js';
import { parseDuration } from '../../options/duration.js';
import { decodeContent, encodeBody, joinChunks, type RequestBody } from './body.js';
import { observeWrites, type DialState } from './connection.js';
import { ConnectionPool } from './connection-pool.js';
import { classifyError, K6_ERROR } from './error-codes.js';
import { Exchange, isRedirect } from './exchange.js';
import { DEFAULT_EXPECTED_STATUSES, type ExpectedStatusPredicate } from './expected-statuses.js';
import { HttpResponse, RequestInfo } from './response.js';
import { zeroTimings, type Timings } from './timings.js';

export { HttpResponse, RequestInfo, canonicalHeader, type ResponseCookie } from './response.js';
export type { Timings } from './timings.js';
export type { RequestBody } from './body.js';
export { K6_ERROR, classifyError, type ClassifiedError } from './error-codes.js';
export { expectedStatuses, DEFAULT_EXPECTED_STATUSES, type ExpectedStatusPredicate, type ExpectedStatusSpec } from './expected-statuses.js';
export { selectJson } from './json-selector.js';

/** Per-test HTTP settings (from the resolved options). */
export interface HttpClientConfig {
  /** Sent as User-Agent unless the request sets one; '' sends none. */
  userAgent: string;
  /** Default for responseType: 'none' when true, 'text' when false. */
  discardResponseBodies: boolean;
  /** Close every connection after its request (Connection: close), so each request connects. */
  noConnectionReuse: boolean;
  /** Default request timeout (k6: 60 s). Covers all redirect hops. */
  defaultTimeoutMs: number;
  /** Default for params.redirects (k6: 10). */
  maxRedirects: number;
  insecureSkipTLSVerify: boolean;
  /** Host name → 'ip', 'ip:port' or '[ipv6]:port'. Host header and TLS SNI stay the URL's. */
  hosts: Record<string, string>;
  /** The script's response callback (http.setResponseCallback), read at each request; null: none. */
  responseCallback?: () => ResponseCallback | null;
}

/** Whether a status counts as expected (k6's http.expectedStatuses result). */
export type ResponseCallback = ExpectedStatusPredicate;

/** k6's default: 200-399 are expected. */
export const defaultResponseCallback: ResponseCallback = DEFAULT_EXPECTED_STATUSES;

/** k6's request params. */
export interface RequestParams {
  headers?: Record<string, string | number | boolean>;
  /** Tags for this request's samples; `name` groups dynamic URLs (and then is the `url` tag too, as in k6). */
  tags?: Record<string, string | number | boolean>;
  /** Total time allowed for the request and its redirects: ms, or a duration string ('10s'). */
  timeout?: number | string;
  /** 'text' (default), 'binary' (ArrayBuffer) or 'none' (body not kept). */
  responseType?: 'text' | 'binary' | 'none';
  /** Redirects to follow (default: the maxRedirects option); 0 returns the 3xx itself. */
  redirects?: number;
  /** 'basic': credentials from the URL's user:pass (sent as Basic auth whenever the URL has them). */
  auth?: 'basic';
  /**
   * Which statuses are expected for this request (default: the config's, else k6's 200-399). null:
   * none, as in k6 the request then has no expected_response tag and never counts as failed.
   */
  responseCallback?: ResponseCallback | null;
}

/** One request's (one redirect hop's) measurements, handed to the metrics sink. */
export interface HttpSample {
  tags: TagSet;
  timings: Timings;
  /** !expected_response (k6's http_req_failed); false when the response callback is null. */
  failed: boolean;
  /** Bytes on the wire: request line, headers and body (and TLS records, on https). */
  bytesSent: number;
  /** Bytes on the wire: status line, headers and body as received (compressed, chunk framing included). */
  bytesReceived: number;
}

export type HttpSampleSink = (sample: HttpSample) => void;

const RESPONSE_TYPES = new Set(['text', 'binary', 'none']);
const PROTO = 'HTTP/1.1';
const EMPTY = Buffer.alloc(0);
const CONNECT_TIMEOUT_MS = 30_000;

/** A parsed request URL, cached per VU (scripts hit the same few URLs over and over). */
interface Target {
  href: string;
  origin: string;
  path: string;
  host: string;
  /** The URL with credentials masked, as k6 tags it. */
  clean: string;
  /** 'Basic …' from user:pass in the URL. */
  basicAuth: string | undefined;
}

function parseTarget(url: string): Target | string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `invalid URL: ${JSON.stringify(url)} is not an absolute URL`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `invalid URL: unsupported protocol "${u.protocol.slice(0, -1)}" in ${JSON.stringify(url)} (use http or https)`;
  let basicAuth: string | undefined;
  let clean = url;
  if (u.username !== '' || u.password !== '') {
    const user = safeDecode(u.username);
    const pass = safeDecode(u.password);
    basicAuth = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    clean = `${u.protocol}//${u.password !== '' ? '****:****' : '****'}@${u.host}${u.pathname}${u.search}${u.hash}`;
  }
  return { href: u.href, origin: u.origin, path: u.pathname + u.search, host: u.hostname, clean, basicAuth };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function toTimeoutMs(timeout: number | string): number {
  const ms = parseDuration(timeout, 'params.timeout');
  if (ms <= 0) throw new TypeError(`params.timeout must be positive, got ${JSON.stringify(timeout)}`);
  return ms;
}

/**
 * A VU's HTTP client. It owns the VU's connections (a ConnectionPool, created on first use: keep-alive,
 * up to 6 connections per origin, one request at a time on each), never throws on network failures
 * (the response has status 0, `error` and `error_code`), and reports every request, and every
 * redirect hop, to the sink with k6's tags.
 */
export class VuHttp {
  readonly #config: HttpClientConfig;
  readonly #sink: HttpSampleSink;
  readonly #dial: DialState = { dialing: 0 };
  readonly #targets = new Map<string, Target>();
  #pool: ConnectionPool | undefined;

  constructor(config: HttpClientConfig, sink: HttpSampleSink) {
    this.#config = config;
    this.#sink = sink;
    observeWrites();
  }

  #poolFor(): ConnectionPool {
    if (this.#pool === undefined) {
      const c = this.#config;
      this.#pool = new ConnectionPool({ insecureSkipTLSVerify: c.insecureSkipTLSVerify, hosts: c.hosts, connectTimeoutMs: CONNECT_TIMEOUT_MS, state: this.#dial });
    }
    return this.#pool;
  }

  #target(url: string): Target | string {
    let t = this.#targets.get(url);
    if (t !== undefined) return t;
    const parsed = parseTarget(url);
    if (typeof parsed === 'string') return parsed;
    if (this.#targets.size >= 256) this.#targets.clear();
    this.#targets.set(url, parsed);
    t = parsed;
    return t;
  }

  /**
   * Sends a request, follows redirects, and resolves with the final response. Throws only for
   * invalid params (a script bug); an invalid URL is a response with error_code 1020 and, as in
   * k6, no metric samples. With `onChunk`, the final response's body is handed over chunk by chunk
   * as it arrives instead of being kept (for streaming protocols such as SSE).
   */
  async request(
    method: string,
    url: string,
    body: RequestBody | null | undefined,
    params: RequestParams | undefined,
    baseTags: TagSet,
    onChunk?: (chunk: Buffer) => void,
  ): Promise<HttpResponse> {
    const callMs = performance.now();
    const config = this.#config;
    const timeoutMs = params?.timeout === undefined ? config.defaultTimeoutMs : toTimeoutMs(params.timeout);
    const responseType = params?.responseType ?? (config.discardResponseBodies ? 'none' : 'text');
    if (!RESPONSE_TYPES.has(responseType)) throw new TypeError(`params.responseType must be 'text', 'binary' or 'none', got ${JSON.stringify(responseType)}`);
    const maxRedirects = params?.redirects ?? config.maxRedirects;
    if (!Number.isInteger(maxRedirects) || maxRedirects < 0) throw new TypeError(`params.redirects must be a non-negative integer, got ${JSON.stringify(maxRedirects)}`);
    if (params?.auth !== undefined && params.auth !== 'basic') throw new TypeError(`params.auth ${JSON.stringify(params.auth)} is not supported (only 'basic', with user:pass in the URL)`);
    const expected = params?.responseCallback !== undefined ? params.responseCallback : (config.responseCallback?.() ?? DEFAULT_EXPECTED_STATUSES);
    const userTags = params?.tags;
    const tags = userTags === undefined ? baseTags : baseTags.withAll(userTags);
    const name = userTags?.name === undefined ? undefined : String(userTags.name);

    const headers: Record<string, string> = {};
    if (config.userAgent !== '') headers['user-agent'] = config.userAgent;
    const userHeaders = params?.headers;
    if (userHeaders !== undefined) {
      for (const k of Object.keys(userHeaders)) headers[k.toLowerCase()] = String(userHeaders[k]);
      // undici sets the real one (k6 too drops the script's Content-Length)
      delete headers['content-length'];
    }
    const payload = encodeBody(body, headers);

    const target = this.#target(url);
    if (typeof target === 'string') {
      const res = new HttpResponse(url, zeroTimings(), new RequestInfo(method, url, headers, payload), undefined);
      res.error = target;
      res.error_code = K6_ERROR.invalidURL;
      return res;
    }
    if (target.basicAuth !== undefined && headers.authorization === undefined) headers.authorization = target.basicAuth;
    const request = new RequestInfo(method, url, headers, payload);
    const deadline = callMs + timeoutMs;
    const keepBody = responseType !== 'none';

    let hopMethod = method;
    let hopTarget = target;
    let hopHeaders = headers;
    let hopPayload = payload;
    let hopCallMs = callMs;
    for (let hop = 0; ; hop++) {
      const follow = hop < maxRedirects;
      const ex = await this.#exchange(hopMethod, hopTarget, hopHeaders, hopPayload, keepBody, follow, hopCallMs, deadline, onChunk);
      const location = ex.headers?.location;
      if (follow && ex.error === undefined && isRedirect(ex.status) && typeof location === 'string') {
        const next = this.#redirectTarget(location, hopTarget);
        if (next !== undefined) {
          this.#emit(ex, ex.timings(), tags, name, hopMethod, hopTarget, expected, undefined);
          const sameHost = next.host === hopTarget.host;
          const dropBody = ex.status === 301 || ex.status === 302 || ex.status === 303;
          if (dropBody && hopMethod !== 'GET' && hopMethod !== 'HEAD') hopMethod = 'GET';
          if (dropBody) hopPayload = undefined;
          hopHeaders = { ...hopHeaders };
          if (dropBody) {
            delete hopHeaders['content-type'];
            delete hopHeaders['content-length'];
          }
          if (!sameHost) {
            delete hopHeaders.authorization;
            delete hopHeaders.cookie;
            delete hopHeaders['www-authenticate'];
          }
          if (next.basicAuth !== undefined && hopHeaders.authorization === undefined) hopHeaders.authorization = next.basicAuth;
          // Go sets a Referer (without credentials or fragment), except from https to http.
          if (!(hopTarget.origin.startsWith('https:') && next.origin.startsWith('http:'))) hopHeaders.referer = hopTarget.origin + hopTarget.path;
          hopTarget = next;
          hopCallMs = performance.now();
          continue;
        }
      }
      return this.#finalResponse(ex, tags, name, hopMethod, hopTarget, expected, responseType, request);
    }
  }

  #redirectTarget(location: string, from: Target): Target | undefined {
    let href: string;
    try {
      href = new URL(location, from.href).href;
    } catch {
      return undefined;
    }
    const t = parseTarget(href);
    return typeof t === 'string' ? undefined : t;
  }

  async #exchange(
    method: string,
    target: Target,
    headers: Record<string, string>,
    payload: string | Buffer | undefined,
    keepBody: boolean,
    follow: boolean,
    callMs: number,
    deadline: number,
    onChunk: ((chunk: Buffer) => void) | undefined,
  ): Promise<Exchange> {
    const options: Dispatcher.DispatchOptions = {
      origin: target.origin,
      path: target.path,
      method,
      headers,
      body: payload ?? null,
      headersTimeout: 0,
      bodyTimeout: 0,
    };
    // undici closes the connection after every HEAD (in case a server sends a body anyway); Go
    // and so k6 keep it alive, and so do we.
    if (this.#config.noConnectionReuse) options.reset = true;
    else if (method === 'HEAD') options.reset = false;
    const ex = new Exchange(this.#poolFor(), options, keepBody, follow, this.#dial, callMs, onChunk);
    await ex.run(deadline - performance.now());
    return ex;
  }

  #finalResponse(ex: Exchange, tags: TagSet, name: string | undefined, method: string, target: Target, expected: ResponseCallback | null, responseType: string, request: RequestInfo): HttpResponse {
    let failure = ex.error;
    let body: string | ArrayBuffer | null = null;
    if (failure === undefined && responseType !== 'none' && !ex.streamed) {
      try {
        let buf = ex.chunks === undefined || ex.chunks.length === 0 ? EMPTY : joinChunks(ex.chunks);
        buf = decodeContent(buf, ex.headers?.['content-encoding']);
        body = responseType === 'binary' ? (buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer) : buf.toString('utf8');
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
    }
    if (failure === undefined) {
      res.status = ex.status;
      res.status_text = ex.statusText === '' ? String(ex.status) : `${ex.status} ${ex.statusText}`;
      res.proto = PROTO;
      res.body = body;
      if (ex.status >= 400) res.error_code = 1000 + ex.status;
    }
    const classified = this.#emit(ex, timings, tags, name, method, target, expected, failure);
    if (classified !== undefined) {
      res.error = classified.message;
      res.error_code = classified.code;
    }
    return res;
  }

  /** Reports one hop to the sink; returns the classified error, if any. */
  #emit(ex: Exchange, timings: Timings, base: TagSet, name: string | undefined, method: string, target: Target, expected: ResponseCallback | null, failure: unknown): { code: number; message: string } | undefined {
    const status = failure === undefined ? ex.status : 0;
    const ok = expected === null || expected(status);
    const urlTag = name ?? target.clean;
    let tags = base.with('method', method).with('url', urlTag).with('name', urlTag).with('status', String(status));
    if (expected !== null) tags = tags.with('expected_response', ok ? 'true' : 'false');
    let classified: { code: number; message: string } | undefined;
    if (failure !== undefined) {
      classified = classifyError(failure);
      tags = tags.with('error', classified.message).with('error_code', String(classified.code));
    } else {
      tags = tags.with('proto', PROTO);
      if (status >= 400) tags = tags.with('error_code', String(1000 + status));
    }
    const tlsVersion = ex.connection?.tlsVersion;
    if (tlsVersion) tags = tags.with('tls_version', tlsVersion);
    this.#sink({ tags, timings, failed: !ok, bytesSent: ex.bytesWritten, bytesReceived: ex.bytesRead });
    return classified;
  }

  /** Destroys this VU's connections; in-flight requests end with an error. The next request reconnects. */
  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    if (pool !== undefined) await pool.destroy();
  }
}

