import type { IncomingHttpHeaders } from 'node:http';
import { parseSetCookie } from './cookie.js';
import { selectJson } from './json-selector.js';
import { parseCookieHeader, type RequestCookie } from './request-cookies.js';
import type { Timings } from './timings.js';
import { parseHTML } from '../../html/document.js';
import { formSubmission, linkClick, type ClickLinkParams, type SubmitFormParams } from '../../html/follow.js';
import type { Selection } from '../../html/selection.js';
import type { RequestParams } from './http-types.js';

/** Sends a follow-up request as the running VU (loadts/http registers it): submitForm, clickLink. */
type FollowUp = (method: string, url: string, body: Record<string, string | string[]> | null, params: RequestParams | undefined) => Promise<HttpResponse>;
let followUp: FollowUp | undefined;

/** @internal Called once by loadts/http. */
export function setFollowUpRequester(fn: FollowUp): void {
  followUp = fn;
}

const canonicalCache = new Map<string, string>();

/** 'content-type' → 'Content-Type': Go's canonical header form, which k6 shows. */
export function canonicalHeader(name: string): string {
  let c = canonicalCache.get(name);
  if (c === undefined) {
    c = name
      .split('-')
      .map((p) => (p ? p[0]!.toUpperCase() + p.slice(1).toLowerCase() : p))
      .join('-');
    if (canonicalCache.size < 10_000) canonicalCache.set(name, c);
  }
  return c;
}

/** Headers with canonical names; repeated headers joined by ', ' (as k6 does). */
export function canonicalHeaders(raw: IncomingHttpHeaders | Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(raw)) {
    const v = raw[k];
    if (v !== undefined) out[canonicalHeader(k)] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** A cookie the response set (k6's `res.cookies[name][i]`). */
export interface ResponseCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  http_only: boolean;
  secure: boolean;
  /** Seconds; 0 when not set, -1 for Max-Age=0 or negative (delete), as Go reports it. */
  max_age: number;
  /** ms since the epoch; 0 when not set. */
  expires: number;
}

/** k6's shape of a Set-Cookie header (Go's http.Cookie fields). */
function responseCookie(line: string): ResponseCookie | undefined {
  const c = parseSetCookie(line);
  if (c === undefined) return undefined;
  return {
    name: c.name,
    value: c.value,
    domain: c.domain,
    path: c.path,
    http_only: c.httpOnly,
    secure: c.secure,
    max_age: c.maxAgeSec,
    expires: Number.isNaN(c.expiresMs) ? 0 : c.expiresMs,
  };
}

/** The request a response answers (k6's `res.request`). Headers and body text are built on first use. */
export class RequestInfo {
  readonly method: string;
  readonly url: string;
  readonly #headers: Record<string, string>;
  readonly #body: string | Buffer | undefined;
  #canonical: Record<string, string> | undefined;
  #cookies: Record<string, RequestCookie[]> | undefined;

  constructor(method: string, url: string, headers: Record<string, string>, body: string | Buffer | undefined) {
    this.method = method;
    this.url = url;
    this.#headers = headers;
    this.#body = body;
  }

  /** The headers loadts sent (canonical names), not counting Host and Content-Length that undici adds. */
  get headers(): Record<string, string> {
    return (this.#canonical ??= canonicalHeaders(this.#headers));
  }

  /** The cookies sent (from the Cookie header: the jar's and params.cookies), name → [{ name, value, replace }]. */
  get cookies(): Record<string, RequestCookie[]> {
    return (this.#cookies ??= parseCookieHeader(this.#headers.cookie));
  }

  /** The body as text ('' when there was none); binary bodies are decoded as latin1, byte for byte. */
  get body(): string {
    const b = this.#body;
    return b === undefined ? '' : typeof b === 'string' ? b : b.toString('latin1');
  }

  toJSON(): { method: string; url: string; headers: Record<string, string>; body: string; cookies: Record<string, RequestCookie[]> } {
    return { method: this.method, url: this.url, headers: this.headers, body: this.body, cookies: this.cookies };
  }
}

/**
 * An HTTP response as k6 shapes it. A network failure is a response too: status 0, `error` and
 * `error_code` set. Headers, cookies and parsed JSON are computed on first use.
 */
export class HttpResponse {
  /** 0 when the request failed without a response. */
  status = 0;
  /** '200 OK' (k6's form); '' on network errors. */
  status_text = '';
  /** 'HTTP/1.1' or 'HTTP/2.0'; '' on network errors. */
  proto = '';
  /** The final URL, after redirects. */
  url: string;
  remote_ip = '';
  remote_port = 0;
  /** 'tls1.3', 'tls1.2'… for https; '' otherwise. */
  tls_version = '';
  /** The negotiated cipher suite, k6's (Go's) name, e.g. 'TLS_AES_128_GCM_SHA256'; '' for plain HTTP. */
  tls_cipher_suite = '';
  /** Text (responseType 'text'), ArrayBuffer ('binary') or null ('none', discardResponseBodies, errors). */
  body: string | ArrayBuffer | null = null;
  /** k6's error message; '' when there was none. */
  error = '';
  /** k6's error code: network codes (1000-1701) or 1000+status for responses ≥ 400; 0 otherwise. */
  error_code = 0;
  timings: Timings;
  request: RequestInfo;
  #rawHeaders: IncomingHttpHeaders | undefined;
  #headers: Record<string, string> | undefined;
  #cookies: Record<string, ResponseCookie[]> | undefined;
  #json: { value: unknown } | undefined;
  #html: Selection | undefined;

  constructor(url: string, timings: Timings, request: RequestInfo, rawHeaders: IncomingHttpHeaders | undefined) {
    this.url = url;
    this.timings = timings;
    this.request = request;
    this.#rawHeaders = rawHeaders;
  }

  /** Response headers with canonical names ('Content-Type'); repeated headers joined by ', '. */
  get headers(): Record<string, string> {
    return (this.#headers ??= this.#rawHeaders === undefined ? {} : canonicalHeaders(this.#rawHeaders));
  }

  /** Cookies the (final) response set, by name (k6's shape; the jar has them too). */
  get cookies(): Record<string, ResponseCookie[]> {
    if (this.#cookies === undefined) {
      const out: Record<string, ResponseCookie[]> = {};
      const raw = this.#rawHeaders?.['set-cookie'];
      for (const line of raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]) {
        const c = responseCookie(line);
        if (c !== undefined) (out[c.name] ??= []).push(c);
      }
      this.#cookies = out;
    }
    return this.#cookies;
  }

  /**
   * The body parsed as JSON, or the value at a gjson-style `selector` ('items.0.id', 'items.#');
   * undefined when the path does not exist. Throws when the body is missing or not JSON.
   */
  json(selector?: string): unknown {
    if (this.#json === undefined) {
      const b = this.body;
      const text = typeof b === 'string' ? b : b instanceof ArrayBuffer ? Buffer.from(b).toString('utf8') : null;
      const what = `the response to ${this.request.method} ${this.url}`;
      if (text === null) throw new Error(`cannot parse ${what} as JSON: it has no body${this.error ? ` (${this.error})` : ' (responseType none or discardResponseBodies?)'}`);
      try {
        this.#json = { value: JSON.parse(text) as unknown };
      } catch (e) {
        const start = text.length > 60 ? `${text.slice(0, 60)}…` : text;
        throw new Error(`cannot parse ${what} as JSON: ${(e as Error).message}; body starts ${JSON.stringify(start)}`);
      }
    }
    return selector === undefined || selector === '' ? this.#json.value : selectJson(this.#json.value, selector);
  }

  /**
   * The body parsed as an HTML document (k6/html's Selection), or the elements matching `selector`
   * in it. Links and forms resolve against the response URL.
   */
  html(selector?: string): Selection {
    if (this.#html === undefined) {
      const b = this.body;
      if (b === null) throw new Error(`the body of the response to ${this.request.method} ${this.url} is null, so it cannot be parsed as HTML${this.error ? ` (${this.error})` : ' (responseType none or discardResponseBodies?)'}`);
      this.#html = parseHTML(typeof b === 'string' ? b : Buffer.from(b).toString('utf8'), this.url);
    }
    return selector === undefined ? this.#html : this.#html.find(selector);
  }

  /**
   * Submits a form of this (HTML) response, as k6's res.submitForm(): its fields, the submit button,
   * then `fields` over them, to the form's action with its method. Resolves with the response.
   */
  submitForm(params?: SubmitFormParams<RequestParams>): Promise<HttpResponse> {
    return this.#follow(() => formSubmission(this.html(), this.url, params));
  }

  /** Follows a link of this (HTML) response (default: the first `a[href]`), as k6's res.clickLink(). */
  clickLink(params?: ClickLinkParams<RequestParams>): Promise<HttpResponse> {
    return this.#follow(() => linkClick(this.html(), this.url, params));
  }

  async #follow(build: () => { method: string; url: string; body: Record<string, string | string[]> | null; params: RequestParams | undefined }): Promise<HttpResponse> {
    if (followUp === undefined) throw new Error('submitForm() and clickLink() need loadts/http');
    const r = build();
    return followUp(r.method, r.url, r.body, r.params);
  }

  toJSON(): Record<string, unknown> {
    return {
      status: this.status,
      status_text: this.status_text,
      proto: this.proto,
      url: this.url,
      remote_ip: this.remote_ip,
      remote_port: this.remote_port,
      tls_version: this.tls_version,
      tls_cipher_suite: this.tls_cipher_suite,
      headers: this.headers,
      cookies: this.cookies,
      body: this.body instanceof ArrayBuffer ? `[${this.body.byteLength} bytes]` : this.body,
      error: this.error,
      error_code: this.error_code,
      timings: this.timings,
      request: this.request,
    };
  }
}
