import type { Dispatcher } from 'undici';
import type { TagSet } from '../../metrics/tags.js';
import { DEFAULT_MAX_RESPONSE_BODY, type RequestBody } from './body.js';
import { parseCompression } from './compression.js';
import { CookieJar, type CookieScope } from './cookie-jar.js';
import { digestAuthorization, parseDigestChallenge } from './digest-auth.js';
import { requestCookies, type RequestCookie } from './request-cookies.js';
import { observeWrites, type DialState } from './connection.js';
import { ConnectionPool } from './connection-pool.js';
import { Exchange } from './exchange.js';
import { DEFAULT_EXPECTED_STATUSES } from './expected-statuses.js';
import { finalResponse, invalidUrlResponse, reportHop } from './hop-result.js';
import type { HttpClientConfig, HttpSampleSink, RequestParams, ResponseCallback } from './http-types.js';
import { dropsBody, redirectHeaders, redirectTo } from './redirect.js';
import { addAuthAndCookies, isDigestAuth, paramJar, redirectsOf, requestHeaders, requestPayload, responseTypeOf, toTimeoutMs } from './request-params.js';
import { RequestInfo, type HttpResponse } from './response.js';
import { cachedTarget, targetCache, type Target } from './target.js';
import { urlTagGuard } from './url-tag-guard.js';

export { HttpResponse, RequestInfo, canonicalHeader, type ResponseCookie } from './response.js';
export type { Timings } from './timings.js';
export type { RequestBody } from './body.js';
export { CookieJar, type CookieOptions } from './cookie-jar.js';
export { FileData, type FileContent } from './multipart.js';
export type { RequestCookie, RequestCookiesParam } from './request-cookies.js';
export { K6_ERROR, classifyError, type ClassifiedError } from './error-codes.js';
export { expectedStatuses, DEFAULT_EXPECTED_STATUSES, type ExpectedStatusPredicate, type ExpectedStatusSpec } from './expected-statuses.js';
export { selectJson } from './json-selector.js';
export type { HttpClientConfig, HttpSample, HttpSampleSink, RequestParams, ResponseCallback } from './http-types.js';

/** k6's default: 200-399 are expected. */
export const defaultResponseCallback: ResponseCallback = DEFAULT_EXPECTED_STATUSES;

/** Digest auth's first answer is a 401, and that one is expected (as in k6). */
const EXPECT_401: ResponseCallback = (status) => status === 401;
const CONNECT_TIMEOUT_MS = 30_000;

/** Stores the cookies a response set (every hop's, as browsers and k6 do). */
function storeCookies(ex: Exchange, jar: CookieJar, scope: CookieScope): void {
  const set = ex.error === undefined ? ex.headers?.['set-cookie'] : undefined;
  if (set !== undefined) jar.storeResponse(scope, set);
}

/** The Authorization that answers a 401's digest challenge, or undefined when `ex` is not one. */
function digestAnswer(ex: Exchange, method: string, target: Target, payload: string | Buffer | undefined, credentials: { user: string; pass: string }): string | undefined {
  if (ex.error !== undefined || ex.status !== 401) return undefined;
  const challenge = parseDigestChallenge(ex.headers?.['www-authenticate']);
  if (challenge === undefined) return undefined;
  return digestAuthorization(challenge, { method, uri: target.path, username: credentials.user, password: credentials.pass, body: payload });
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
   *
   * Not async: it prepares the request, and #send's promise is the result (one async frame and one
   * promise per request).
   */
  request(
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
    try {
      // Prepare: the params resolved against the config and checked (a bad one throws), the headers and the body.
      const timeoutMs = params?.timeout === undefined ? config.defaultTimeoutMs : toTimeoutMs(params.timeout);
      const responseType = responseTypeOf(params, config);
      const maxRedirects = redirectsOf(params, config);
      const digest = isDigestAuth(params);
      const compression = parseCompression(params?.compression);
      const ownCookies = params?.cookies === undefined ? undefined : requestCookies(params.cookies);
      const activeJar = paramJar(params) ?? jar ?? this.jar;
      const expected = params?.responseCallback !== undefined ? params.responseCallback : (config.responseCallback?.() ?? DEFAULT_EXPECTED_STATUSES);
      const userTags = params?.tags;
      const tags = userTags === undefined ? baseTags : baseTags.withAll(userTags);
      const name = userTags?.name === undefined ? undefined : String(userTags.name);
      const headers = requestHeaders(config.userAgent, params?.headers);
      const payload = requestPayload(body, headers, compression);
      const target = cachedTarget(this.#targets, url);
      if (typeof target === 'string') return Promise.resolve(invalidUrlResponse(this.#sink, config.urlTags, target, method, url, headers, payload, tags, name, expected));
      this.#noteUrl(target, name);
      addAuthAndCookies(headers, target, digest, activeJar, ownCookies);
      const request = new RequestInfo(method, url, headers, payload);
      return this.#send(method, target, headers, payload, request, tags, name, expected, responseType, maxRedirects, digest, activeJar, ownCookies, callMs, callMs + timeoutMs, onChunk);
    } catch (e) {
      // as from an async function: invalid params reject the promise
      return Promise.reject(e);
    }
  }

  /**
   * Sends the prepared request: an exchange per hop (redirects), and one more for digest auth's
   * answer, each sent again by Go's retry rule; every exchange but the last is reported as a
   * request of its own, and the last one is the response.
   */
  async #send(
    method: string,
    target: Target,
    headers: Record<string, string>,
    payload: string | Buffer | undefined,
    request: RequestInfo,
    tags: TagSet,
    name: string | undefined,
    expected: ResponseCallback | null,
    responseType: string,
    maxRedirects: number,
    digest: boolean,
    jar: CookieJar,
    ownCookies: readonly RequestCookie[] | undefined,
    callMs: number,
    deadline: number,
    onChunk: ((chunk: Buffer) => void) | undefined,
  ): Promise<HttpResponse> {
    const keepBody = responseType !== 'none';
    let credentials = digest ? target.credentials : undefined;
    // How the hop on the wire is reported if its worker thread ends first (in-flight.ts).
    const lost = (ex: Exchange) => reportHop(this.#sink, ex, ex.timings(), tags, name, method, target.clean, expected, ex.error);
    for (let hop = 0, answered = false; ; ) {
      const follow = hop < maxRedirects;
      let ex = await this.#exchange(method, target, headers, payload, keepBody, follow, callMs, deadline, onChunk, lost);
      while (ex.retryable) {
        // Go's retry rule (retry.ts): the failed attempt is a request of its own, then it goes again.
        reportHop(this.#sink, ex, ex.timings(), tags, name, method, target.clean, expected, ex.error);
        ex = await this.#exchange(method, target, headers, payload, keepBody, follow, performance.now(), deadline, onChunk, lost);
      }
      storeCookies(ex, jar, target.scope);
      const answer = credentials === undefined || answered ? undefined : digestAnswer(ex, method, target, payload, credentials);
      if (answer !== undefined) {
        // Digest auth: the 401 is a request of its own (an expected one); the hop's challenge is answered once.
        reportHop(this.#sink, ex, ex.timings(), tags, name, method, target.clean, expected === null ? null : EXPECT_401, undefined);
        headers = { ...headers, authorization: answer };
        answered = true;
        callMs = performance.now();
        continue;
      }
      const next = follow ? redirectTo(ex, target) : undefined;
      if (next === undefined) return finalResponse(this.#sink, this.#config.maxResponseBodyBytes ?? DEFAULT_MAX_RESPONSE_BODY, ex, tags, name, method, target, expected, responseType, request);
      if (name === undefined) (this.#config.urlTags ?? urlTagGuard).note(next.clean);
      reportHop(this.#sink, ex, ex.timings(), tags, name, method, target.clean, expected, undefined);
      const dropBody = dropsBody(ex.status);
      if (dropBody && method !== 'GET' && method !== 'HEAD') method = 'GET';
      if (dropBody) payload = undefined;
      headers = redirectHeaders(headers, target, next, dropBody, digest, jar, ownCookies);
      if (digest && next.host !== target.host) credentials = next.credentials;
      target = next;
      callMs = performance.now();
      hop++;
      answered = false;
    }
  }

  /** A URL (or name) this VU has not tagged before may be a new series: count it (off the per-request path). */
  #noteUrl(target: Target, name: string | undefined): void {
    const urlTag = name ?? target.clean;
    if (target.tagged !== urlTag) {
      target.tagged = urlTag;
      (this.#config.urlTags ?? urlTagGuard).note(urlTag);
    }
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

  /** Destroys this VU's connections; in-flight requests end with an error. The next request reconnects. */
  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    if (pool !== undefined) await pool.destroy();
  }
}

