import { STATUS_CODES } from 'node:http';
import type { Dispatcher } from 'undici';
import type { TagSet } from '../../metrics/tags.js';
import { parseDuration } from '../../options/duration.js';
import { bodyText, bodyTooLarge, decodeContent, DEFAULT_MAX_RESPONSE_BODY, encodeBody, joinChunks, type RequestBody } from './body.js';
import { compressBody, parseCompression } from './compression.js';
import { CookieJar, cookieScope, type CookieScope } from './cookie-jar.js';
import { digestAuthorization, parseDigestChallenge } from './digest-auth.js';
import { cookieHeader, requestCookies, type RequestCookiesParam } from './request-cookies.js';
import { observeWrites, type DialState } from './connection.js';
import { ConnectionPool } from './connection-pool.js';
import { classifyError, isVuAbort, K6_ERROR, RequestFailure } from './error-codes.js';
import { redactUrl } from '../../redact.js';
import { Exchange, isRedirect } from './exchange.js';
import { DEFAULT_EXPECTED_STATUSES, type ExpectedStatusPredicate } from './expected-statuses.js';
import { HttpResponse, RequestInfo } from './response.js';
import type { ResolvedTlsAuth, ResolvedTlsVersion } from './tls-config.js';
import { urlTagGuard, type UrlTagGuard } from './url-tag-guard.js';
import { zeroTimings, type Timings } from './timings.js';

export { HttpResponse, RequestInfo, canonicalHeader, type ResponseCookie } from './response.js';
export type { Timings } from './timings.js';
export type { RequestBody } from './body.js';
export { CookieJar, type CookieOptions } from './cookie-jar.js';
export { FileData, type FileContent } from './multipart.js';
export type { RequestCookie, RequestCookiesParam } from './request-cookies.js';
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
  /** The `tlsVersion` option (default: Node's, TLS 1.2 to 1.3). */
  tlsVersion?: ResolvedTlsVersion;
  /** The `tlsAuth` option: client certificates by host. */
  tlsAuth?: ResolvedTlsAuth[];
  /** The `tlsCipherSuites` option (k6 names). */
  tlsCipherSuites?: readonly string[];
  /** Connections per origin a VU may open (the batchPerHost option, default 6; 0: no limit). */
  maxConnectionsPerHost?: number;
  /** Counts distinct url tag values and warns past a limit (default: the thread's shared guard). */
  urlTags?: Pick<UrlTagGuard, 'note'>;
  /** The script's response callback (http.setResponseCallback), read at each request; null: none. */
  responseCallback?: () => ResponseCallback | null;
  /** The maxResponseBodySize option: a longer body is read and counted but not kept, and the response is an error (default 256 MiB). */
  maxResponseBodyBytes?: number;
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
  /**
   * Credentials come from the URL's user:pass. 'basic' (the default whenever the URL has them):
   * Basic auth; 'digest': RFC 7616 digest auth, as k6 does it: the request goes without credentials,
   * and a 401 with a Digest challenge is answered once (both requests are measured; the 401 counts
   * as expected).
   */
  auth?: 'basic' | 'digest';
  /** Request-scoped cookies: name → value, or name → { value, replace: true } to override the jar's. */
  cookies?: RequestCookiesParam;
  /** The cookie jar for this request instead of the VU's (from `new http.CookieJar()`). */
  jar?: CookieJar | null;
  /** Request body compression: 'gzip', 'deflate', 'br' or a comma-separated list applied in order; sets Content-Encoding. */
  compression?: string;
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
  /** The server said "slow down": 429, or 503 with Retry-After (http_req_rate_limited). */
  rateLimited: boolean;
}

export type HttpSampleSink = (sample: HttpSample) => void;

const RESPONSE_TYPES = new Set(['text', 'binary', 'none']);
const HTTP1 = 'HTTP/1.1';
const HTTP2 = 'HTTP/2.0';
/** Digest auth's first answer is a 401, and that one is expected (as in k6). */
const EXPECT_401: ResponseCallback = (status) => status === 401;
const EMPTY = Buffer.alloc(0);

/** What #emit reads of a request on the wire. */
type Sent = Pick<Exchange, 'status' | 'connection' | 'bytesRead' | 'bytesWritten' | 'headers' | 'recorded'>;
/** A request that never reached the network (an invalid URL). */
const NOT_SENT: Sent = { status: 0, connection: undefined, bytesRead: 0, bytesWritten: 0, headers: undefined, recorded: false };
const CONNECT_TIMEOUT_MS = 30_000;

/**
 * A parsed request URL, cached per test config, so shared by a worker's VUs (scripts hit the same
 * few URLs over and over; a cache per VU cost ~600 bytes of every VU).
 */
interface Target {
  href: string;
  origin: string;
  path: string;
  host: string;
  /** The URL with credentials masked, as k6 tags it. */
  clean: string;
  /** 'Basic …' from user:pass in the URL. */
  basicAuth: string | undefined;
  /** user and password from the URL (decoded), for digest auth. */
  credentials: { user: string; pass: string } | undefined;
  /** What cookies are matched against. */
  scope: CookieScope;
  /** The url tag value last reported to the cardinality guard for this URL. */
  tagged: string | undefined;
}

/** A Target, or why the URL is invalid (without the URL, which is the url tag: the message is the low-cardinality error tag). */
function parseTarget(url: string): Target | string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    const unset = /^(undefined|null|NaN)\b/.exec(url);
    return unset === null ? 'invalid URL: not an absolute URL' : `invalid URL: not an absolute URL (it starts with "${unset[1]}": is a variable it is built from unset?)`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `invalid URL: unsupported protocol "${u.protocol.slice(0, -1)}" (use http or https)`;
  let basicAuth: string | undefined;
  let credentials: Target['credentials'];
  let clean = url;
  if (u.username !== '' || u.password !== '') {
    const user = safeDecode(u.username);
    const pass = safeDecode(u.password);
    credentials = { user, pass };
    basicAuth = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    clean = `${u.protocol}//${u.password !== '' ? '****:****' : '****'}@${u.host}${u.pathname}${u.search}${u.hash}`;
  }
  return { href: u.href, origin: u.origin, path: u.pathname + u.search, host: u.hostname, clean, basicAuth, credentials, scope: cookieScope(u)!, tagged: undefined };
}

/** Parsed URLs per config (all VUs of a test share one config), up to TARGETS_CACHED each. */
const targetCaches = new WeakMap<HttpClientConfig, Map<string, Target>>();
const TARGETS_CACHED = 4096;

function targetCache(config: HttpClientConfig): Map<string, Target> {
  let cache = targetCaches.get(config);
  if (cache === undefined) {
    cache = new Map();
    targetCaches.set(config, cache);
  }
  return cache;
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
 * up to batchPerHost (6) connections per origin, one request at a time on each, or one multiplexed
 * HTTP/2 connection), never throws on network failures
 * (the response has status 0, `error` and `error_code`), and reports every request, and every
 * redirect hop, to the sink with k6's tags.
 */
export class VuHttp {
  readonly #config: HttpClientConfig;
  readonly #sink: HttpSampleSink;
  readonly #dial: DialState = { dialing: 0 };
  readonly #targets: Map<string, Target>;
  #jar: CookieJar | undefined;
  #pool: ConnectionPool | undefined;

  constructor(config: HttpClientConfig, sink: HttpSampleSink) {
    this.#config = config;
    this.#sink = sink;
    this.#targets = targetCache(config);
    observeWrites();
  }

  #poolFor(): ConnectionPool {
    if (this.#pool === undefined) {
      const c = this.#config;
      this.#pool = new ConnectionPool({
        insecureSkipTLSVerify: c.insecureSkipTLSVerify,
        hosts: c.hosts,
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
        state: this.#dial,
        tlsVersion: c.tlsVersion,
        tlsAuth: c.tlsAuth,
        tlsCipherSuites: c.tlsCipherSuites,
        // HTTP/2 multiplexes one connection: noConnectionReuse (a connection per request) stays on HTTP/1.1.
        allowH2: !c.noConnectionReuse,
        maxPerOrigin: c.maxConnectionsPerHost,
      });
    }
    return this.#pool;
  }

  #target(url: string): Target | string {
    let t = this.#targets.get(url);
    if (t !== undefined) return t;
    const parsed = parseTarget(url);
    if (typeof parsed === 'string') return parsed;
    if (this.#targets.size >= TARGETS_CACHED) this.#targets.clear();
    this.#targets.set(url, parsed);
    t = parsed;
    return t;
  }

  /** This client's own cookie jar: used when request() is given none (the API layer passes the VU's). */
  get jar(): CookieJar {
    return (this.#jar ??= new CookieJar());
  }

  /**
   * Sends a request, follows redirects, and resolves with the final response. Throws only for
   * invalid params (a script bug); an invalid URL is a failed request (status 0, error_code 1020),
   * as k6 records a URL Go cannot send. With `onChunk`, the final response's body is handed over chunk by chunk
   * as it arrives instead of being kept (for streaming protocols such as SSE). Cookies come from and
   * go to `params.jar`, else `jar`, else this client's own jar.
   */
  async request(
    method: string,
    url: string,
    body: RequestBody | null | undefined,
    params: RequestParams | undefined,
    baseTags: TagSet,
    onChunk?: (chunk: Buffer) => void,
    jar?: CookieJar,
  ): Promise<HttpResponse> {
    const callMs = performance.now();
    const config = this.#config;
    const timeoutMs = params?.timeout === undefined ? config.defaultTimeoutMs : toTimeoutMs(params.timeout);
    const responseType = params?.responseType ?? (config.discardResponseBodies ? 'none' : 'text');
    if (!RESPONSE_TYPES.has(responseType)) throw new TypeError(`params.responseType must be 'text', 'binary' or 'none', got ${JSON.stringify(responseType)}`);
    const maxRedirects = params?.redirects ?? config.maxRedirects;
    if (!Number.isInteger(maxRedirects) || maxRedirects < 0) throw new TypeError(`params.redirects must be a non-negative integer, got ${JSON.stringify(maxRedirects)}`);
    const auth = params?.auth;
    if (auth !== undefined && auth !== 'basic' && auth !== 'digest') throw new TypeError(`params.auth ${JSON.stringify(auth)} is not supported (use 'basic' or 'digest', with user:pass in the URL)`);
    const digest = auth === 'digest';
    const compression = parseCompression(params?.compression);
    const ownCookies = params?.cookies === undefined ? undefined : requestCookies(params.cookies);
    const paramJar = params?.jar;
    if (paramJar !== undefined && paramJar !== null && !(paramJar instanceof CookieJar)) throw new TypeError('params.jar must be a cookie jar from http.cookieJar() or new http.CookieJar()');
    const activeJar = paramJar ?? jar ?? this.jar;
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
    let payload = encodeBody(body, headers);
    if (compression !== undefined && payload !== undefined) {
      const c = compressBody(payload, compression);
      payload = c.body;
      // A Content-Encoding the script set wins (k6 warns when they differ).
      if (headers['content-encoding'] === undefined) headers['content-encoding'] = c.contentEncoding;
    }

    const target = this.#target(url);
    if (typeof target === 'string') {
      // As k6 does for a URL Go cannot send (no or another scheme): not thrown, a failed request.
      const shown = redactUrl(url);
      const res = new HttpResponse(shown, zeroTimings(), new RequestInfo(method, shown, headers, payload), undefined);
      const failure = new RequestFailure(target, K6_ERROR.invalidURL);
      (config.urlTags ?? urlTagGuard).note(name ?? shown);
      this.#emit(NOT_SENT, res.timings, tags, name, method, shown, expected, failure);
      res.error = failure.message;
      res.error_code = failure.errorCode;
      return res;
    }
    // A URL (or name) this VU has not tagged before may be a new series: count it (off the per-request path).
    const urlTag = name ?? target.clean;
    if (target.tagged !== urlTag) {
      target.tagged = urlTag;
      (config.urlTags ?? urlTagGuard).note(urlTag);
    }
    if (target.basicAuth !== undefined && !digest && headers.authorization === undefined) headers.authorization = target.basicAuth;
    if (ownCookies !== undefined || activeJar.size > 0) {
      const cookie = cookieHeader(activeJar, target.scope, ownCookies, headers.cookie);
      if (cookie !== '') headers.cookie = cookie;
    }
    const request = new RequestInfo(method, url, headers, payload);
    const deadline = callMs + timeoutMs;
    const keepBody = responseType !== 'none';

    let hopMethod = method;
    let hopTarget = target;
    let hopHeaders = headers;
    let hopPayload = payload;
    let hopCallMs = callMs;
    let credentials = digest ? target.credentials : undefined;
    // How the hop on the wire is reported if its worker thread ends first (recordInFlight).
    const lost = (ex: Exchange) => this.#emit(ex, ex.timings(), tags, name, hopMethod, hopTarget.clean, expected, ex.error);
    for (let hop = 0; ; hop++) {
      const follow = hop < maxRedirects;
      let ex = await this.#exchange(hopMethod, hopTarget, hopHeaders, hopPayload, keepBody, follow, hopCallMs, deadline, onChunk, lost);
      // Go's retry rule (retry.ts): the failed attempt is a request of its own, then it goes again.
      while (ex.retryable) {
        this.#emit(ex, ex.timings(), tags, name, hopMethod, hopTarget.clean, expected, ex.error);
        ex = await this.#exchange(hopMethod, hopTarget, hopHeaders, hopPayload, keepBody, follow, performance.now(), deadline, onChunk, lost);
      }
      this.#storeCookies(ex, activeJar, hopTarget.scope);
      if (credentials !== undefined && ex.error === undefined && ex.status === 401) {
        const challenge = parseDigestChallenge(ex.headers?.['www-authenticate']);
        if (challenge !== undefined) {
          this.#emit(ex, ex.timings(), tags, name, hopMethod, hopTarget.clean, expected === null ? null : EXPECT_401, undefined);
          const answer = digestAuthorization(challenge, { method: hopMethod, uri: hopTarget.path, username: credentials.user, password: credentials.pass, body: hopPayload });
          hopHeaders = { ...hopHeaders, authorization: answer };
          ex = await this.#exchange(hopMethod, hopTarget, hopHeaders, hopPayload, keepBody, follow, performance.now(), deadline, onChunk, lost);
          while (ex.retryable) {
            this.#emit(ex, ex.timings(), tags, name, hopMethod, hopTarget.clean, expected, ex.error);
            ex = await this.#exchange(hopMethod, hopTarget, hopHeaders, hopPayload, keepBody, follow, performance.now(), deadline, onChunk, lost);
          }
          this.#storeCookies(ex, activeJar, hopTarget.scope);
        }
      }
      const location = ex.headers?.location;
      if (follow && ex.error === undefined && isRedirect(ex.status) && typeof location === 'string') {
        const next = this.#redirectTarget(location, hopTarget);
        if (next !== undefined) {
          if (name === undefined) (config.urlTags ?? urlTagGuard).note(next.clean);
          this.#emit(ex, ex.timings(), tags, name, hopMethod, hopTarget.clean, expected, undefined);
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
            delete hopHeaders['www-authenticate'];
            if (digest) credentials = next.credentials;
          } else if (digest) delete hopHeaders.authorization; // a digest answer is for one URI
          // As k6: the Cookie header is rebuilt for the new URL from the jar (with any cookies the
          // redirect set) and the request's own cookies.
          delete hopHeaders.cookie;
          const cookie = cookieHeader(activeJar, next.scope, ownCookies, undefined);
          if (cookie !== '') hopHeaders.cookie = cookie;
          if (next.basicAuth !== undefined && !digest && hopHeaders.authorization === undefined) hopHeaders.authorization = next.basicAuth;
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

  /** Stores the cookies a response set (every hop's, as browsers and k6 do). */
  #storeCookies(ex: Exchange, jar: CookieJar, scope: CookieScope): void {
    const set = ex.error === undefined ? ex.headers?.['set-cookie'] : undefined;
    if (set !== undefined) jar.storeResponse(scope, set);
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

  #exchange(
    method: string,
    target: Target,
    headers: Record<string, string>,
    payload: string | Buffer | undefined,
    keepBody: boolean,
    follow: boolean,
    callMs: number,
    deadline: number,
    onChunk: ((chunk: Buffer) => void) | undefined,
    lost: (ex: Exchange) => void,
  ): Promise<Exchange> {
    // Not async: the exchange's own promise is the result (one promise fewer per request).
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
    const ex = new Exchange(this.#poolFor(), options, keepBody, follow, this.#dial, callMs, onChunk, this.#config.maxResponseBodyBytes ?? DEFAULT_MAX_RESPONSE_BODY);
    ex.lost = lost;
    return ex.run(deadline - performance.now());
  }

  #finalResponse(ex: Exchange, tags: TagSet, name: string | undefined, method: string, target: Target, expected: ResponseCallback | null, responseType: string, request: RequestInfo): HttpResponse {
    const maxBody = this.#config.maxResponseBodyBytes ?? DEFAULT_MAX_RESPONSE_BODY;
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
    const classified = this.#emit(ex, timings, tags, name, method, target.clean, expected, failure);
    if (classified !== undefined) {
      res.error = classified.message;
      res.error_code = classified.code;
    }
    return res;
  }

  /** Reports one hop to the sink (`clean`: its URL as tagged); returns the classified error, if any. */
  #emit(ex: Sent, timings: Timings, base: TagSet, name: string | undefined, method: string, clean: string, expected: ResponseCallback | null, failure: unknown): { code: number; message: string } | undefined {
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
    this.#sink({ tags, timings, failed: !ok, bytesSent: ex.bytesWritten, bytesReceived: ex.bytesRead, rateLimited });
    return classified;
  }

  /** Destroys this VU's connections; in-flight requests end with an error. The next request reconnects. */
  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    if (pool !== undefined) await pool.destroy();
  }
}

