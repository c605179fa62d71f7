import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import type { TagSet } from '../../metrics/tags.js';
import { classifyError, K6_ERROR, RequestFailure } from './error-codes.js';
import { HttpResponse, type RequestInfo } from './response.js';
import { zeroTimings, type Timings } from './timings.js';
import { parseDuration } from '../../options/duration.js';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

export { HttpResponse } from './response.js';
export type { Timings } from './timings.js';

/** Per-test HTTP settings (from options). */
export interface HttpClientConfig {
  userAgent: string;
  discardResponseBodies: boolean;
  noConnectionReuse: boolean;
  defaultTimeoutMs: number;
  maxRedirects: number;
  insecureSkipTLSVerify: boolean;
  /** Host name → 'ip' or 'ip:port'. */
  hosts: Record<string, string>;
  /** The worker's response callback (http.setResponseCallback), read at each request. */
  responseCallback?: () => ResponseCallback | null;
}

/** A request body: text, bytes, or an object sent form-urlencoded (as k6 does). */
export type RequestBody = string | ArrayBuffer | Uint8Array | Record<string, string | number | boolean>;

/** k6's request params. */
export interface RequestParams {
  headers?: Record<string, string>;
  /** Tags for this request's samples; `name` groups dynamic URLs. */
  tags?: Record<string, string>;
  /** Total time allowed, ms or a duration string ('10s'). Default 60s. */
  timeout?: number | string;
  /** 'text' (default), 'binary' (ArrayBuffer) or 'none' (body not kept). */
  responseType?: 'text' | 'binary' | 'none';
  /** Redirects to follow (default: the maxRedirects option). */
  redirects?: number;
  /** Decides `expected_response` and http_req_failed for this request (see http.expectedStatuses). */
  responseCallback?: ResponseCallback | null;
}

/** Whether a status counts as expected (k6's http.expectedStatuses result). */
export type ResponseCallback = (status: number) => boolean;

/** k6's default: 200–399 are expected. */
export const defaultResponseCallback: ResponseCallback = (status) => status >= 200 && status < 400;

/** One request's measurements, handed to the metrics sink. */
export interface HttpSample {
  tags: TagSet;
  timings: Timings;
  failed: boolean;
  bytesSent: number;
  bytesReceived: number;
}

export type HttpSampleSink = (sample: HttpSample) => void;

interface ConnectTiming {
  startMs: number;
  tcpMs: number;
  endMs: number;
  tls: boolean;
}

/** A request's outcome before it becomes a response. */
interface Outcome {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer[] | undefined;
  timings: Timings;
  error: { code: number; message: string } | undefined;
}

/**
 * One request through undici's handler API. Timing points: onRequestStart is called right before
 * undici writes the request on a connected socket; a microtask queued there runs once the
 * synchronous write of headers and an in-memory body has finished (sending); onResponseStarted is
 * the first response byte (waiting); onResponseEnd the last (receiving).
 */
class RequestHandler implements Dispatcher.DispatchHandler {
  readonly #client: VuHttp;
  readonly #keepBody: boolean;
  readonly #callMs: number;
  readonly #done: (o: Outcome) => void;
  readonly #onChunk: ((chunk: Buffer) => void) | undefined;
  #controller: Dispatcher.DispatchController | undefined;
  #startMs = 0;
  #sentMs = 0;
  #firstByteMs = 0;
  #status = 0;
  #statusText = '';
  #headers: IncomingHttpHeaders = {};
  #chunks: Buffer[] | undefined;
  #finished = false;
  #timedOut: RequestFailure | undefined;
  #connect: ConnectTiming | undefined;

  constructor(client: VuHttp, keepBody: boolean, callMs: number, done: (o: Outcome) => void, onChunk?: (chunk: Buffer) => void) {
    this.#client = client;
    this.#onChunk = onChunk;
    this.#keepBody = keepBody && onChunk === undefined;
    this.#callMs = callMs;
    this.#done = done;
  }

  /** Ends the request with an error thrown before undici took it. */
  fail(err: unknown): void {
    this.#finish(err instanceof Error ? err : new Error(String(err)));
  }

  /** Ends the request with a timeout (k6 error 1050). */
  timeout(ms: number): void {
    this.#timedOut = new RequestFailure(`request timeout after ${ms} ms`, K6_ERROR.requestTimeout);
    if (this.#controller) this.#controller.abort(this.#timedOut);
    else this.#finish(this.#timedOut);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#timedOut) {
      controller.abort(this.#timedOut);
      return;
    }
    this.#startMs = performance.now();
    this.#sentMs = 0;
    this.#firstByteMs = 0;
    this.#connect = this.#client.takeConnectTiming(this.#callMs);
    queueMicrotask(() => {
      if (this.#sentMs === 0) this.#sentMs = performance.now();
    });
  }

  onResponseStarted(): void {
    const now = performance.now();
    if (this.#sentMs === 0) this.#sentMs = now;
    this.#firstByteMs = now;
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, statusMessage?: string): void {
    if (statusCode < 200) return; // 1xx informational
    if (this.#firstByteMs === 0) this.onResponseStarted();
    this.#status = statusCode;
    this.#statusText = statusMessage ?? '';
    this.#headers = headers;
    if (this.#keepBody) this.#chunks = [];
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#onChunk !== undefined && this.#status >= 200) this.#onChunk(chunk);
    else this.#chunks?.push(chunk);
  }

  onResponseEnd(): void {
    this.#finish(undefined);
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    this.#finish(this.#timedOut ?? err);
  }

  #finish(err: Error | undefined): void {
    if (this.#finished) return;
    this.#finished = true;
    const end = performance.now();
    const t = zeroTimings();
    const c = this.#connect;
    if (c) {
      t.connecting = c.tcpMs - c.startMs;
      t.tls_handshaking = c.tls ? c.endMs - c.tcpMs : 0;
    }
    if (this.#startMs > 0) {
      t.blocked = Math.max(this.#startMs - this.#callMs - t.connecting - t.tls_handshaking, 0);
      const sent = this.#sentMs || end;
      const first = this.#firstByteMs || end;
      t.sending = sent - this.#startMs;
      t.waiting = Math.max(first - sent, 0);
      t.receiving = Math.max(end - first, 0);
      t.duration = t.sending + t.waiting + t.receiving;
    } else {
      t.blocked = end - this.#callMs;
    }
    this.#done({
      status: err ? 0 : this.#status,
      statusText: err ? '' : this.#statusText,
      headers: err ? {} : this.#headers,
      body: err ? undefined : this.#chunks,
      timings: t,
      error: err ? classifyError(err) : undefined,
    });
  }
}

function encodeBody(body: RequestBody | undefined, headers: Record<string, string>): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (typeof body === 'object') {
    if (headers['content-type'] === undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(body)) form.append(k, String(v));
    return form.toString();
  }
  return String(body);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A VU's HTTP client: it owns the VU's connections (keep-alive, as a browser or a k6 VU), never
 * throws on network failures (status 0 with `error` and `error_code`), and reports every request
 * (and every redirect hop) to the metrics sink.
 */
export class VuHttp {
  readonly #config: HttpClientConfig;
  readonly #sink: HttpSampleSink;
  #agent: Agent | undefined;
  readonly #sockets = new Set<Socket>();
  #closedRead = 0;
  #closedWritten = 0;
  #lastConnect: ConnectTiming | undefined;
  #lastSocket: Socket | undefined;

  constructor(config: HttpClientConfig, sink: HttpSampleSink) {
    this.#config = config;
    this.#sink = sink;
  }

  /** The connection timing made for a request called at `sinceMs`, consumed once. @internal */
  takeConnectTiming(sinceMs: number): ConnectTiming | undefined {
    const c = this.#lastConnect;
    if (c === undefined || c.startMs < sinceMs) return undefined;
    this.#lastConnect = undefined;
    return c;
  }

  #bytes(): { read: number; written: number } {
    let read = this.#closedRead;
    let written = this.#closedWritten;
    for (const s of this.#sockets) {
      read += s.bytesRead;
      written += s.bytesWritten;
    }
    return { read, written };
  }

  #agentFor(): Agent {
    if (this.#agent === undefined) {
      const base = buildConnector({ rejectUnauthorized: !this.#config.insecureSkipTLSVerify, timeout: 30_000 });
      const connect: buildConnector.connector = (opts, callback) => {
        const startMs = performance.now();
        let tcpMs = 0;
        const socket = base(opts, (err, s) => {
          if (err === null && s) {
            const endMs = performance.now();
            const tls = opts.protocol === 'https:';
            this.#lastConnect = { startMs, tcpMs: tcpMs || endMs, endMs, tls };
            const sock = s as Socket;
            this.#sockets.add(sock);
            this.#lastSocket = sock;
            sock.once('close', () => {
              this.#closedRead += sock.bytesRead;
              this.#closedWritten += sock.bytesWritten;
              this.#sockets.delete(sock);
            });
          }
          callback(err as Error & null, s as never);
        });
        (socket as unknown as Socket | undefined)?.once?.('connect', () => {
          tcpMs = performance.now();
        });
        return socket;
      };
      this.#agent = new Agent({ connect, connections: 6, pipelining: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
    }
    return this.#agent;
  }

  /**
   * Sends a request (following redirects) and resolves with the final response. With `onChunk`,
   * the final response's body is handed over chunk by chunk as it arrives instead of being kept.
   */
  async request(method: string, url: string, body: RequestBody | undefined, params: RequestParams | undefined, baseTags: TagSet, onChunk?: (chunk: Buffer) => void): Promise<HttpResponse> {
    const maxRedirects = params?.redirects ?? this.#config.maxRedirects;
    let hopMethod = method;
    let hopBody = body;
    let hopUrl = url;
    for (let hop = 0; ; hop++) {
      const res = await this.#once(hopMethod, hopUrl, hopBody, params, baseTags, url, onChunk);
      const location = res.headers.Location;
      if (!REDIRECTS.has(res.status) || location === undefined || hop >= maxRedirects) {
        if (REDIRECTS.has(res.status) && location !== undefined && hop >= maxRedirects && maxRedirects > 0) {
          res.error = `stopped after ${maxRedirects} redirects`;
        }
        return res;
      }
      hopUrl = new URL(location, hopUrl).href;
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && hopMethod === 'POST')) {
        hopMethod = 'GET';
        hopBody = undefined;
      }
    }
  }

  async #once(
    method: string,
    url: string,
    body: RequestBody | undefined,
    params: RequestParams | undefined,
    baseTags: TagSet,
    nameUrl: string,
    onChunk: ((chunk: Buffer) => void) | undefined,
  ): Promise<HttpResponse> {
    const callMs = performance.now();
    const headers: Record<string, string> = { 'user-agent': this.#config.userAgent };
    if (params?.headers) for (const [k, v] of Object.entries(params.headers)) headers[k.toLowerCase()] = String(v);
    const payload = encodeBody(body, headers);
    const request: RequestInfo = { method, url, headers, body: typeof payload === 'string' ? payload : payload ? `[${payload.length} bytes]` : null };

    let tags = baseTags.withAll(params?.tags);
    const name = params?.tags?.name ?? nameUrl;
    tags = tags.with('method', method).with('url', url).with('name', name);

    let parsed: URL;
    try {
      parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`unsupported protocol ${parsed.protocol}`);
    } catch (e) {
      const res = new HttpResponse(url, zeroTimings(), request);
      res.error = `invalid URL "${url}": ${(e as Error).message}`;
      res.error_code = K6_ERROR.invalidURL;
      this.#sink({ tags: tags.with('status', '0').with('expected_response', 'false').with('error_code', String(res.error_code)), timings: res.timings, failed: true, bytesSent: 0, bytesReceived: 0 });
      return res;
    }
    if (parsed.username !== '' && headers.authorization === undefined) {
      headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
    }
    let origin = parsed.origin;
    const override = this.#config.hosts[parsed.hostname];
    if (override !== undefined) {
      headers.host = parsed.host;
      origin = `${parsed.protocol}//${override.includes(':') ? override : `${override}:${parsed.port || (parsed.protocol === 'https:' ? 443 : 80)}`}`;
    }
    const keepBody = !(params?.responseType === 'none' || (params?.responseType === undefined && this.#config.discardResponseBodies));
    const before = this.#bytes();
    const timeoutMs = params?.timeout === undefined ? this.#config.defaultTimeoutMs : parseDuration(params.timeout, 'params.timeout');

    const outcome = await new Promise<Outcome>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const handler = new RequestHandler(
        this,
        keepBody,
        callMs,
        (o) => {
          clearTimeout(timer);
          resolve(o);
        },
        onChunk,
      );
      timer = setTimeout(() => handler.timeout(timeoutMs), timeoutMs);
      try {
        this.#agentFor().dispatch(
          { origin, path: parsed.pathname + parsed.search, method, headers, body: payload, reset: this.#config.noConnectionReuse, headersTimeout: 0, bodyTimeout: 0 },
          handler,
        );
      } catch (e) {
        handler.fail(e);
      }
    });
    const after = this.#bytes();
    const res = new HttpResponse(url, outcome.timings, request);
    res.status = outcome.status;
    res.status_text = outcome.status ? `${outcome.status} ${outcome.statusText}`.trim() : '';
    res.proto = outcome.status ? 'HTTP/1.1' : '';
    res.setRawHeaders(outcome.headers);
    if (this.#lastSocket) {
      res.remote_ip = this.#lastSocket.remoteAddress ?? '';
      res.remote_port = this.#lastSocket.remotePort ?? 0;
    }
    if (outcome.body !== undefined) {
      let buf = outcome.body.length === 1 ? outcome.body[0]! : Buffer.concat(outcome.body);
      const encoding = outcome.headers['content-encoding'];
      if (typeof encoding === 'string' && buf.length > 0) {
        try {
          if (encoding === 'gzip' || encoding === 'x-gzip') buf = gunzipSync(buf);
          else if (encoding === 'deflate') buf = inflateSync(buf);
          else if (encoding === 'br') buf = brotliDecompressSync(buf);
        } catch (e) {
          outcome.error = { code: K6_ERROR.decompression, message: `cannot decompress the ${encoding} response body: ${(e as Error).message}` };
        }
      }
      res.body = params?.responseType === 'binary' ? (buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer) : buf.toString('utf8');
    }
    const callback = params?.responseCallback !== undefined ? params.responseCallback : (this.#config.responseCallback?.() ?? defaultResponseCallback);
    const expected = outcome.error === undefined && (callback === null ? true : callback(outcome.status));
    let sampleTags = tags.with('status', String(outcome.status)).with('expected_response', expected ? 'true' : 'false');
    if (outcome.status) sampleTags = sampleTags.with('proto', 'HTTP/1.1');
    if (outcome.error) {
      res.error = outcome.error.message;
      res.error_code = outcome.error.code;
      sampleTags = sampleTags.with('error_code', String(outcome.error.code));
    }
    this.#sink({ tags: sampleTags, timings: outcome.timings, failed: !expected, bytesSent: after.written - before.written, bytesReceived: after.read - before.read });
    return res;
  }

  /** Closes this VU's connections; in-flight requests end with an error. */
  async close(): Promise<void> {
    const agent = this.#agent;
    this.#agent = undefined;
    if (agent) await agent.destroy().catch(() => {});
  }
}
