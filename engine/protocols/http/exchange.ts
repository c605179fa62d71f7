import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import type { ConnectionPool, PooledClient } from './connection-pool.js';
import { cancelExpectedWrite, connectionInfo, expectWrite, type ConnectionInfo, type DialState, type WriteObserver } from './connection.js';
import { H1Client, type H1Handler } from './h1-client.js';
import { canonicalHeaderList } from './header-case.js';
import { K6_ERROR, RequestFailure } from './error-codes.js';
import { isReplayable, shouldRetry } from './retry.js';
import { inFlight, workerStopped } from './in-flight.js';
import { isRedirect } from './redirect.js';
import { phaseTimings, type TimingPoints, type Timings } from './timings.js';

function onTimer(exchange: Exchange): void {
  exchange.timeout();
}

/**
 * One request/response on the wire, as a handler of undici's handler API (onRequestStart …
 * onResponseEnd/onResponseError), which loadts's own HTTP/1.1 client (H1Client, for http:) speaks
 * too. The instance is also the result: after `run()` resolves, read its fields. Timing points, all
 * performance.now():
 *   callMs      the request was handed to the client
 *   startMs     onRequestStart: the client has a connected socket and starts writing
 *   sentMs      the whole request was written (synchronously after start for the string/bytes
 *               bodies loadts sends): H1Client calls onWritten; for undici, whose version 7 does
 *               not forward onRequestSent to new-API handlers, the 'undici:request:bodySent'
 *               diagnostics channel stands in
 *   firstByteMs onResponseStarted: the first response byte was parsed
 *   endMs       onResponseEnd / onResponseError / timeout
 * Connect and TLS times come from the socket's ConnectionInfo, once per connection.
 */
export class Exchange implements Dispatcher.DispatchHandler, WriteObserver, H1Handler, TimingPoints {
  readonly callMs: number;
  readonly #keepBody: boolean;
  readonly #maxBodyBytes: number;
  #keptBytes = 0;
  readonly #followRedirects: boolean;
  readonly #dial: DialState;
  readonly #onChunk: ((chunk: Buffer) => void) | undefined;
  #streaming = false;
  readonly #pool: ConnectionPool;
  readonly #client: PooledClient;
  readonly #options: Dispatcher.DispatchOptions;
  #resolve: ((ex: Exchange) => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #controller: Dispatcher.DispatchController | undefined;
  #timedOut: RequestFailure | undefined;
  #finished = false;

  startMs = 0;
  sentMs = 0;
  firstByteMs = 0;
  endMs = 0;
  status = 0;
  statusText = '';
  headers: IncomingHttpHeaders | undefined = undefined;
  chunks: Buffer[] | undefined = undefined;
  /** The failure, when there was one (an Error from undici or Node, or a RequestFailure). */
  error: unknown = undefined;
  socket: Socket | undefined = undefined;
  connection: ConnectionInfo | undefined = undefined;
  /** Set at the response's start: its body bytes are not wanted (discarded, or a redirect's), so H1Client need not copy them out. */
  discardsBody = false;
  /** The body was longer than maxBodyBytes: the rest was read and counted, and `chunks` dropped. */
  bodyTooLarge = false;
  /** The request went out on a connection an earlier request had used. */
  reused = false;
  /** It failed in a way that Go's rule sends again (retry.ts): the caller reports it and sends a new exchange. */
  retryable = false;
  connectingMs = 0;
  tlsMs = 0;
  bytesRead = 0;
  bytesWritten = 0;
  /** Reports this exchange, as it stands, when its worker thread ends it (in-flight.ts). */
  lost: ((ex: Exchange) => void) | undefined = undefined;
  /** recordInFlight() ended and reported it: whoever awaits it must not report it again. */
  recorded = false;

  /**
   * @param keepBody collect the final response's body in `chunks`
   * @param followRedirects a redirect response will be followed: its body is neither kept nor streamed
   * @param onChunk receives the final response's body chunks as they arrive (then they are not kept)
   * @param maxBodyBytes a longer body is not kept (bodyTooLarge)
   */
  constructor(
    pool: ConnectionPool,
    options: Dispatcher.DispatchOptions,
    keepBody: boolean,
    followRedirects: boolean,
    dial: DialState,
    callMs: number,
    onChunk: ((chunk: Buffer) => void) | undefined,
    maxBodyBytes: number,
  ) {
    this.#maxBodyBytes = maxBodyBytes;
    this.#pool = pool;
    this.#client = pool.acquire(options.origin as string);
    this.#onChunk = onChunk;
    this.#options = options;
    this.#keepBody = keepBody;
    this.#followRedirects = followRedirects;
    this.#dial = dial;
    this.callMs = callMs;
  }

  /** Dispatches and resolves (with this exchange) once it has ended, one way or another. Never rejects. */
  run(timeoutMs: number): Promise<Exchange> {
    const done = new Promise<Exchange>((resolve) => {
      this.#resolve = resolve;
    });
    inFlight.add(this);
    if (timeoutMs <= 0) this.timeout();
    else {
      this.#timer = setTimeout(onTimer, timeoutMs, this);
      this.#dispatch();
    }
    return done;
  }

  #dispatch(): void {
    const pc = this.#client;
    const reuse = pc.reuse;
    if (reuse !== undefined && !pc.h2) {
      if (reuse.serverCloses) this.#options.reset = true;
      // the client's connection is idle: it may have to wait for the reuse gate (undici-reuse.ts)
      if (pc.inflight === 1 && !reuse.admit(this, isReplayable(this.#options.method, this.#options.headers as Record<string, string> | undefined))) return;
    }
    this.dispatchNow();
  }

  /** @internal sends the request to the client (undici-reuse.ts calls it for a held request) */
  dispatchNow(): void {
    if (this.#finished) return;
    try {
      const pc = this.#client;
      // undici writes names as given: canonical for HTTP/1.1, as Go's; h2 lower-cases them itself
      if (pc.client instanceof H1Client || pc.h2) pc.client.dispatch(this.#options, this);
      else pc.client.dispatch({ ...this.#options, headers: canonicalHeaderList(this.#options.headers as Record<string, string>) }, this);
    } catch (e) {
      this.#finish(e);
    }
  }

  /** The request's time ran out (k6 code 1050; 1211 while its connection is still being dialed). */
  timeout(): void {
    if (this.#finished) return;
    const dialing = this.startMs === 0 && this.#dial.dialing > 0;
    this.#timedOut = dialing ? new RequestFailure('dial: i/o timeout', K6_ERROR.dialTimeout) : new RequestFailure('request timeout', K6_ERROR.requestTimeout);
    if (this.#controller !== undefined && !this.#controller.aborted) this.#controller.abort(this.#timedOut);
    // Before onRequestStart undici still holds the request; it is aborted in onRequestStart.
    this.#finish(this.#timedOut);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#finished) {
      controller.abort(this.#timedOut ?? new RequestFailure('request aborted', K6_ERROR.generic));
      return;
    }
    // A retry (undici re-runs a queued request after its connection failed) starts over.
    this.startMs = performance.now();
    this.sentMs = 0;
    this.firstByteMs = 0;
    this.socket = undefined;
    this.connection = undefined;
    expectWrite(this);
  }

  /** @internal from the sendHeaders channel, or from H1Client */
  onSocket(socket: Socket): void {
    cancelExpectedWrite(this);
    this.socket = socket;
    const info = connectionInfo(socket);
    this.connection = info;
    if (info !== undefined && info.h2 !== true) this.#client.reuse?.wrote(info);
    this.reused = info !== undefined && !info.fresh;
    if (info?.h2 === true) this.#pool.markH2(this.#client);
    if (info !== undefined && info.fresh) {
      info.fresh = false;
      this.connectingMs = info.connectingMs;
      this.tlsMs = info.tlsMs;
    }
  }

  /** @internal from the bodySent channel, or from H1Client */
  onWritten(): void {
    if (this.sentMs === 0) this.sentMs = performance.now();
  }

  /** Forward-compatible: undici versions that forward onRequestSent to new-API handlers. */
  onRequestSent(): void {
    this.onWritten();
  }

  onResponseStarted(): void {
    if (this.firstByteMs !== 0) return;
    this.#client.reuse?.responseStarted();
    const now = performance.now();
    if (this.sentMs === 0) this.sentMs = now;
    this.firstByteMs = now;
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, statusMessage?: string): void {
    if (statusCode < 200) return; // 1xx: the final response follows
    if (this.firstByteMs === 0) this.onResponseStarted();
    this.status = statusCode;
    this.statusText = statusMessage ?? '';
    this.headers = headers;
    const followed = this.#followRedirects && isRedirect(statusCode) && headers.location !== undefined;
    this.#streaming = this.#onChunk !== undefined && !followed;
    this.chunks = this.#keepBody && !followed && !this.#streaming ? [] : undefined;
    this.discardsBody = this.chunks === undefined && !this.#streaming;
  }

  /** The final body went to onChunk. */
  get streamed(): boolean {
    return this.#streaming;
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#streaming) this.#onChunk!(chunk);
    else if (this.chunks !== undefined) {
      this.#keptBytes += chunk.length;
      if (this.#keptBytes <= this.#maxBodyBytes) this.chunks.push(chunk);
      else {
        // past the limit a VU keeps: read on (the bytes count in data_received), keep nothing
        this.chunks = undefined;
        this.discardsBody = true;
        this.bodyTooLarge = true;
      }
    }
  }

  onResponseEnd(): void {
    this.#client.reuse?.responseEnded();
    this.#finish(undefined);
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    this.#client.reuse?.responseFailed();
    this.#finish(this.#timedOut ?? err);
  }

  /** Attributes the socket's traffic since the previous request on it to this one. */
  #account(): void {
    const info = this.connection;
    if (info === undefined) return;
    const s = info.tcp;
    const read = s.bytesRead;
    const written = s.bytesWritten;
    this.bytesRead += read - info.readAccounted;
    this.bytesWritten += written - info.writtenAccounted;
    info.readAccounted = read;
    info.writtenAccounted = written;
  }

  /** Ends the exchange now, failed by its worker thread's end, and reports it (in-flight.ts). */
  abandon(): void {
    if (this.#finished) return;
    this.#finish(workerStopped());
    this.retryable = false;
    this.#controller?.abort(new RequestFailure('request aborted', K6_ERROR.generic));
    this.lost?.(this);
    this.recorded = true;
  }

  #finish(err: unknown): void {
    if (this.#finished) return;
    inFlight.delete(this);
    this.#account();
    if (err !== undefined) {
      this.retryable = shouldRetry({
        method: this.#options.method,
        headers: this.#options.headers as Record<string, string> | undefined,
        reused: this.reused,
        responseStarted: this.firstByteMs !== 0,
        error: err,
        timedOut: this.#timedOut !== undefined,
      });
    }
    this.#finished = true;
    this.endMs = performance.now();
    this.#pool.release(this.#client);
    this.error = err;
    if (err !== undefined) {
      this.chunks = undefined;
      this.headers = undefined;
    }
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const resolve = this.#resolve;
    this.#resolve = undefined;
    resolve?.(this);
  }

  /** k6's timing phases. Blocked is the wait for a connection, without its connect/TLS time. */
  timings(): Timings {
    return phaseTimings(this);
  }
}
