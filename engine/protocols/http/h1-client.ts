import type { IncomingHttpHeaders } from 'node:http';
import { maxHeaderSize } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import { attachConnectionInfo, ConnectionInfo, dialTarget, type DialState } from './connection.js';
import { CLIENT_CLOSED, K6_ERROR, RequestFailure, SOCKET_CLOSED } from './error-codes.js';
import { canonicalHeaderName } from './header-case.js';
import { isReplayable } from './retry.js';
import { ReuseGate, type ReuseOwner } from './reuse-gate.js';

/**
 * What the client calls on a request's handler: the part of undici's handler API that
 * loadts's Exchange implements, plus two direct calls that replace undici's diagnostics channels
 * (which socket carries the request, and when it was written).
 */
export interface H1Handler {
  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void;
  onSocket(socket: Socket): void;
  onWritten(): void;
  onResponseStarted(): void;
  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, statusMessage?: string): void;
  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void;
  /** Read after onResponseStart: true when the body's bytes are not wanted (they are then not copied out of the read buffer). */
  readonly discardsBody?: boolean;
  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void;
  onResponseError(controller: Dispatcher.DispatchController, error: Error): void;
}

/** An error of the HTTP/1.1 client, with a `code` that classifyError maps to k6's codes. */
export class H1Error extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'H1Error';
    this.code = code;
  }
}

export { SOCKET_CLOSED, CLIENT_CLOSED } from './error-codes.js';

const IDLE = 0;
const HEAD = 1;
const BODY_LENGTH = 2;
const CHUNK_SIZE = 3;
const CHUNK_DATA = 4;
const CHUNK_END = 5;
const TRAILERS = 6;
const BODY_UNTIL_CLOSE = 7;

const LF = 10;
const CR = 13;
/** The end of a response head: an empty line, after CRLF or (as Go's reader accepts) a bare LF. */
const HEAD_END_CRLF = Buffer.from('\n\r\n');
const HEAD_END_LF = Buffer.from('\n\n');
/** No keep-alive hint from the server: an idle connection is not reused after this (undici's default). */
const KEEP_ALIVE_MS = 60_000;
/** The longest a server's Keep-Alive: timeout=N hint is believed (undici's keepAliveMaxTimeout). */
const KEEP_ALIVE_MAX_MS = 600_000;
/** A hinted keep-alive ends this much early, so that a request does not cross the server's close. */
const KEEP_ALIVE_MARGIN_MS = 2_000;
/** A chunk-size line (hex size and extensions) longer than this is malformed. */
const MAX_CHUNK_LINE = 4_096;
const MAX_HEAD = maxHeaderSize;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Anything but printable ASCII and tab: then a value is looked at closely. */
const NOT_PLAIN = /[^\t\x20-\x7e]/;
/** Control characters (CR, LF, NUL, …) that would break the request's framing. */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
const EXPECTS_PAYLOAD = new Set(['POST', 'PUT', 'PATCH']);

/**
 * One read buffer for every connection of a thread. A thread handles one read at a time and the
 * parser consumes it synchronously (what it keeps, it copies), so connections need no read buffer
 * of their own and a read allocates nothing.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

const kClient = Symbol('loadts.h1client');
type ClientSocket = Socket & { [kClient]?: H1Client };
const ON_READ = { buffer: READ_BUFFER, callback: onRead };

/** One request: queued, then written, then answered. It is also the request's controller. */
class H1Dispatch implements Dispatcher.DispatchController {
  readonly head: string;
  /** The head has non-ASCII text (written as UTF-8; else as latin1, which is the same bytes for ASCII and cheaper). */
  readonly utf8: boolean;
  readonly body: string | Buffer | null;
  readonly handler: H1Handler;
  readonly isHead: boolean;
  readonly reset: boolean;
  /** Go's retry rule may send it again (retry.ts): it may go first onto a connection not yet known to stay open. */
  readonly replayable: boolean;
  readonly client: H1Client;
  aborted = false;
  reason: Error | null = null;

  constructor(client: H1Client, head: string, utf8: boolean, body: string | Buffer | null, handler: H1Handler, isHead: boolean, reset: boolean, replayable: boolean) {
    this.client = client;
    this.replayable = replayable;
    this.head = head;
    this.utf8 = utf8;
    this.body = body;
    this.handler = handler;
    this.isHead = isHead;
    this.reset = reset;
  }

  get paused(): boolean {
    return false;
  }

  abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.client.aborted(this);
  }

  pause(): void {}
  resume(): void {}
}

/**
 * A VU's HTTP/1.1 connection to one plain-http origin: one socket at a time, one request at a time
 * on it (no pipelining), kept alive between requests. It speaks the subset of undici's dispatcher
 * API that loadts's Exchange uses, and replaces undici's Client for http: URLs because a load
 * generator's hot path is exactly this: a Client with its wasm parser, timers and closures cost
 * ~2.5 KiB per connection and a fifth of a request's CPU; this costs a few hundred bytes and reads
 * into one shared buffer. https (TLS, ALPN, HTTP/2) stays on undici.
 *
 * Responses: status line and headers (up to node:http's maxHeaderSize), bodies by Content-Length,
 * chunked transfer coding (extensions and trailers skipped) or, failing both, until the server
 * closes; 1xx responses before the final one are skipped; HEAD, 204 and 304 have no body. The
 * connection is closed after a response that says `Connection: close`, an HTTP/1.0 response
 * without keep-alive, a close-delimited body, or a request sent with `reset`, and dropped at the
 * server's FIN ('end'); when a kept one is reused is the ReuseGate's call. An idle connection
 * is not reused past the server's `Keep-Alive: timeout` hint (less 2 s) or 60 s.
 */
export class H1Client implements ReuseOwner {
  readonly #hostname: string;
  readonly #port: number;
  readonly #hostHeader: string;
  readonly #connectTimeoutMs: number;
  readonly #dial: DialState;
  #socket: ClientSocket | undefined;
  #connecting = false;
  #queue: H1Dispatch[] = [];
  #current: H1Dispatch | undefined;
  /** An idle connection is not reused after this (performance.now()). */
  #reuseUntil = 0;
  /** How long the last response allows the connection to be reused for. */
  #keepAliveMs = KEEP_ALIVE_MS;
  #destroyed = false;
  #socketError: Error | undefined;
  /** When the kept connection may carry the next request (reuse-gate.ts). */
  readonly #gate = new ReuseGate(this);
  /** The connection attempt in progress, and when it started and resolved the name. */
  #dialing: ClientSocket | undefined;
  #dialStartMs = 0;
  #lookupMs = 0;
  #dialTimer: NodeJS.Timeout | undefined;

  // response parser state
  #state = IDLE;
  #partial: Buffer | undefined;
  #remaining = 0;
  #closeAfter = false;
  #started = false;

  constructor(origin: string, connectTimeoutMs: number, dial: DialState, hosts: Record<string, string>) {
    const u = new URL(origin);
    const target = dialTarget(hosts, u.hostname.replace(/^\[|\]$/g, ''), u.port || '80');
    this.#hostname = target.hostname;
    this.#port = Number(target.port);
    this.#hostHeader = u.host;
    this.#connectTimeoutMs = connectTimeoutMs;
    this.#dial = dial;
  }

  /** Queues a request. Throws (synchronously) for headers that cannot be sent. */
  dispatch(options: Dispatcher.DispatchOptions, handler: H1Handler): void {
    if (this.#destroyed) throw new H1Error(CLIENT_CLOSED, 'the client is closed');
    const method = options.method;
    if (!TOKEN.test(method)) throw new H1Error('ERR_INVALID_HTTP_TOKEN', `invalid request method ${JSON.stringify(method)}`);
    const body = (options.body ?? null) as string | Buffer | null;
    let utf8 = false;
    let reset = options.reset === true;
    let host = this.#hostHeader;
    let lines = '';
    const headers = options.headers as Record<string, string> | null | undefined;
    if (headers != null) {
      for (const name in headers) {
        const value = headers[name]!;
        if (!TOKEN.test(name)) throw new H1Error('ERR_INVALID_HTTP_TOKEN', `invalid header name ${JSON.stringify(name)}`);
        if (NOT_PLAIN.test(value)) {
          if (CONTROL.test(value)) throw new H1Error('ERR_INVALID_CHAR', `invalid value for header ${JSON.stringify(name)}`);
          utf8 = true; // non-ASCII text goes out as UTF-8, as Go (and so k6) sends it
        }
        switch (name.length === 4 || name.length >= 6 ? name.toLowerCase() : '') {
          case 'host':
            host = value;
            continue;
          case 'connection': {
            const v = value.toLowerCase();
            if (v === 'close') reset = true;
            else if (v !== 'keep-alive') throw new H1Error('ERR_INVALID_CHAR', `invalid connection header ${JSON.stringify(value)}`);
            continue;
          }
          case 'content-length':
            continue; // set from the body
          case 'transfer-encoding':
          case 'keep-alive':
          case 'upgrade':
            throw new H1Error('ERR_INVALID_CHAR', `the ${name} header cannot be set`);
          case 'expect':
            throw new H1Error('ERR_INVALID_CHAR', 'the expect header is not supported');
        }
        lines += `${canonicalHeaderName(name)}: ${value}\r\n`;
      }
    }
    const length = body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    if (length > 0 || EXPECTS_PAYLOAD.has(method)) lines += `Content-Length: ${length}\r\n`;
    if (NOT_PLAIN.test(options.path)) throw new H1Error('ERR_INVALID_CHAR', 'invalid request path');
    if (NOT_PLAIN.test(host)) utf8 = true;
    // HTTP/1.1 connections are persistent unless one side says close: like Go, no "connection: keep-alive".
    const head = `${method} ${options.path} HTTP/1.1\r\nHost: ${host}\r\n${reset ? 'Connection: close\r\n' : ''}${lines}\r\n`;
    this.#queue.push(new H1Dispatch(this, head, utf8, length === 0 ? null : body, handler, method === 'HEAD', reset, isReplayable(method, headers)));
    this.#drive();
  }

  /** Ends every request (in flight or queued) with an error and closes the connection. */
  destroy(): Promise<void> {
    this.#destroyed = true;
    this.#gate.cancel();
    this.#dialing?.destroy(); // its 'close' settles the dial
    const err = new H1Error(CLIENT_CLOSED, 'the VU closed its connections');
    const current = this.#current;
    this.#current = undefined;
    this.#closeSocket();
    if (current !== undefined) current.handler.onResponseError(current, err);
    this.#failQueue(err);
    return Promise.resolve();
  }

  /** @internal from H1Dispatch.abort */
  aborted(d: H1Dispatch): void {
    if (this.#current === d) {
      // the response is partly read: the connection cannot carry another request
      this.#current = undefined;
      this.#closeSocket();
      d.handler.onResponseError(d, d.reason!);
      this.#drive();
      return;
    }
    const i = this.#queue.indexOf(d);
    if (i >= 0) {
      this.#queue.splice(i, 1);
      d.handler.onResponseError(d, d.reason!);
    }
  }

  /** @internal reuse-gate.ts: the kept connection may carry a request now */
  reuseReady(): void {
    this.#drive();
  }

  /**
   * Writes the next queued request when the connection is free; connects first if needed. A kept
   * connection is reused only when the gate says so (reuse-gate.ts), so that a FIN the server sent
   * right behind the response is seen (peerEnded) before a request is written onto it.
   */
  #drive(): void {
    while (this.#current === undefined && this.#queue.length > 0 && !this.#destroyed) {
      const socket = this.#socket;
      if (socket !== undefined && this.#state === IDLE) {
        if (performance.now() > this.#reuseUntil) this.#closeSocket();
        else if (!this.#gate.mayReuse(this.#queue[0]!.replayable)) return;
      }
      if (this.#socket === undefined) {
        if (!this.#connecting) this.#connect();
        return;
      }
      const d = this.#queue.shift()!;
      d.handler.onRequestStart(d, undefined);
      if (d.aborted) continue;
      this.#write(d, this.#socket);
    }
  }

  #write(d: H1Dispatch, socket: ClientSocket): void {
    this.#current = d;
    this.#state = HEAD;
    this.#started = false;
    this.#closeAfter = d.reset;
    d.handler.onSocket(socket);
    socket.ref();
    const encoding = d.utf8 ? 'utf8' : 'latin1';
    let flushed: boolean;
    if (d.body === null) flushed = socket.write(d.head, encoding);
    else {
      socket.cork();
      socket.write(d.head, encoding);
      flushed = socket.write(d.body);
      socket.uncork();
    }
    // A large body the kernel has not taken yet is still being sent: 'sending' ends when it drains.
    if (flushed) d.handler.onWritten();
    else socket.once('drain', onDrain);
  }

  /** @internal socket 'drain' after a request too big to go out at once */
  drained(socket: ClientSocket): void {
    if (socket === this.#socket) this.#current?.handler.onWritten();
  }

  #connect(): void {
    this.#connecting = true;
    this.#socketError = undefined;
    this.#dial.dialing++;
    this.#dialStartMs = performance.now();
    this.#lookupMs = 0;
    const socket: ClientSocket = netConnect({ host: this.#hostname, port: this.#port, onread: ON_READ });
    socket[kClient] = this;
    this.#dialing = socket;
    socket.setNoDelay(true);
    this.#dialTimer = setTimeout(onDialTimeout, this.#connectTimeoutMs, socket);
    socket.once('lookup', onLookup);
    socket.once('connect', onConnect);
    socket.on('error', onError);
    socket.on('end', onEnd);
    socket.on('close', onClose);
  }

  /** The connection attempt is over, one way or the other. */
  #settleDial(): void {
    this.#dialing = undefined;
    this.#dial.dialing--;
    clearTimeout(this.#dialTimer);
    this.#dialTimer = undefined;
    this.#connecting = false;
  }

  /** @internal socket 'lookup' */
  looked(): void {
    this.#lookupMs = performance.now();
  }

  /** @internal socket 'connect' */
  connected(socket: ClientSocket): void {
    if (socket !== this.#dialing) return;
    this.#settleDial();
    attachConnectionInfo(socket, new ConnectionInfo(performance.now() - (this.#lookupMs || this.#dialStartMs), 0, socket, socket));
    socket.setKeepAlive(true, 60_000);
    if (this.#destroyed) {
      socket.destroy();
      return;
    }
    this.#socket = socket;
    this.#reuseUntil = Infinity;
    this.#gate.opened();
    socket.unref();
    this.#drive();
  }

  #failQueue(err: Error): void {
    const queue = this.#queue;
    this.#queue = [];
    for (const d of queue) d.handler.onResponseError(d, err);
  }

  #closeSocket(): void {
    const socket = this.#socket;
    if (socket === undefined) return;
    this.#socket = undefined;
    this.#state = IDLE;
    this.#partial = undefined;
    socket[kClient] = undefined;
    socket.destroy();
  }

  /** @internal socket 'error' */
  socketError(err: Error): void {
    this.#socketError ??= err;
  }

  /**
   * @internal socket 'end': the server sent FIN (closed or half-closed the connection). It will
   * answer nothing more on it: a response in flight ends (complete if it is delimited by the close,
   * else failed), and the socket is never written to again.
   */
  peerEnded(socket: ClientSocket): void {
    if (socket !== this.#socket) return;
    this.socketClosed(socket);
    socket[kClient] = undefined;
    socket.destroy();
  }

  /** @internal socket 'close' */
  socketClosed(socket: ClientSocket): void {
    if (socket === this.#dialing) {
      // the connection attempt failed: every request waiting for it fails (as undici does)
      this.#settleDial();
      this.#failQueue(this.#socketError ?? new H1Error(SOCKET_CLOSED, 'connection closed while connecting'));
      return;
    }
    if (socket !== this.#socket) return;
    this.#socket = undefined;
    const d = this.#current;
    if (d === undefined || !this.#started) this.#gate.peerClosed();
    if (d === undefined) {
      // idle: a request waiting for the gate goes out on a new connection
      this.#gate.cancel();
      this.#drive();
      return;
    }
    if (this.#state === BODY_UNTIL_CLOSE) {
      this.#complete(d);
      return;
    }
    this.#current = undefined;
    this.#state = IDLE;
    this.#partial = undefined;
    d.handler.onResponseError(d, this.#socketError ?? new H1Error(SOCKET_CLOSED, 'the server closed the connection'));
    this.#drive();
  }

  /** @internal bytes read on the connected socket (READ_BUFFER[0, n)) */
  read(socket: ClientSocket, n: number): void {
    if (socket !== this.#socket || this.#current === undefined) {
      // bytes nobody asked for: the connection's framing is lost
      if (socket === this.#socket) this.#closeSocket();
      else socket.destroy();
      return;
    }
    try {
      this.#parse(READ_BUFFER, 0, n);
    } catch (e) {
      const d = this.#current;
      this.#current = undefined;
      this.#closeSocket();
      if (d !== undefined) d.handler.onResponseError(d, e as Error);
      this.#drive();
    }
  }

  #parse(buf: Buffer, start: number, end: number): void {
    while (start < end) {
      const d = this.#current;
      if (d === undefined) {
        // more bytes after a complete response (no pipelining): the framing is lost
        this.#closeSocket();
        return;
      }
      switch (this.#state) {
        case HEAD:
          start = this.#head(d, buf, start, end);
          break;
        case BODY_LENGTH:
          start = this.#counted(d, buf, start, end);
          if (this.#remaining === 0) this.#complete(d, start < end);
          break;
        case CHUNK_SIZE:
          start = this.#chunkSize(buf, start, end);
          break;
        case CHUNK_DATA:
          start = this.#counted(d, buf, start, end);
          if (this.#remaining === 0) {
            this.#state = CHUNK_END;
            this.#remaining = 2;
          }
          break;
        case CHUNK_END: {
          // the CRLF (or bare LF) after a chunk's data (it may be split between reads)
          const c = buf[start++];
          if (c === LF) this.#state = CHUNK_SIZE;
          else if (c !== CR || this.#remaining !== 2) throw new H1Error('HPE_INVALID_CHUNK_SIZE', 'malformed chunked body');
          else this.#remaining = 1;
          break;
        }
        case TRAILERS:
          start = this.#trailers(d, buf, start, end);
          break;
        case BODY_UNTIL_CLOSE:
          this.#data(d, buf, start, end - start);
          start = end;
          break;
        default:
          this.#closeSocket();
          return;
      }
    }
  }

  /**
   * The text of `buf[start, end)`, joined with any bytes kept from earlier reads, up to the end of a
   * line (`head` false: LF, a CR before it dropped) or of a response head (`head` true: an empty line;
   * the text ends before its last line break). undefined when it is not all here yet (the bytes are
   * kept); `next` is the index in `buf` after it.
   */
  #line(buf: Buffer, start: number, end: number, head: boolean, max: number, code: string): { text: string; next: number } | undefined {
    const partial = this.#partial;
    let view: Buffer;
    let offset: number;
    if (partial === undefined) {
      view = buf.subarray(start, end);
      offset = 0;
    } else {
      // the line end may straddle the reads: search the join (rare: heads and size lines are short)
      view = Buffer.concat([partial, buf.subarray(start, end)]);
      offset = partial.length;
    }
    let i: number;
    let after: number;
    const from = Math.max(offset - 2, 0);
    if (head) {
      // the first empty line: "\n\r\n" or "\n\n"; the text keeps the line break before it
      const crlf = view.indexOf(HEAD_END_CRLF, from);
      const lf = view.indexOf(HEAD_END_LF, from);
      i = lf >= 0 && (crlf < 0 || lf < crlf) ? lf : crlf;
      after = i < 0 ? 0 : i + (i === lf ? 2 : 3);
      if (i > 0 && view[i - 1] === CR) i--;
    } else {
      i = view.indexOf(LF, from);
      after = i + 1;
      if (i > 0 && view[i - 1] === CR) i--;
    }
    if (i < 0) {
      if (view.length > max) throw new H1Error(code, code === 'HPE_HEADER_OVERFLOW' ? 'response headers too large' : 'malformed chunked body');
      this.#partial = Buffer.from(view);
      return undefined;
    }
    this.#partial = undefined;
    if (i > max) throw new H1Error(code, code === 'HPE_HEADER_OVERFLOW' ? 'response headers too large' : 'malformed chunked body');
    return { text: view.toString('latin1', 0, i), next: start + (after - offset) };
  }

  #head(d: H1Dispatch, buf: Buffer, start: number, end: number): number {
    if (!this.#started) {
      this.#started = true;
      this.#gate.responseStarted();
      d.handler.onResponseStarted();
    }
    const found = this.#line(buf, start, end, true, MAX_HEAD, 'HPE_HEADER_OVERFLOW');
    if (found === undefined) return end;
    const head = parseHead(found.text);
    const status = head.status;
    if (status < 200) {
      if (status === 101) throw new H1Error('HPE_INVALID_STATUS', 'unexpected 101 Switching Protocols');
      return found.next; // 1xx: the final response follows
    }
    const headers = head.headers;
    const connection = headerText(headers.connection)?.toLowerCase();
    if (connection !== undefined ? connection.includes('close') : false) this.#closeAfter = true;
    else if (head.minor === 0 && !(connection?.includes('keep-alive') ?? false)) this.#closeAfter = true;
    const hint = headerText(headers['keep-alive']);
    this.#keepAliveMs = hint === undefined ? KEEP_ALIVE_MS : keepAliveMs(hint);

    let state: number;
    const te = headerText(headers['transfer-encoding']);
    if (d.isHead || status === 204 || status === 304) state = IDLE;
    else if (te !== undefined) {
      if (/(?:^|,)\s*chunked\s*$/i.test(te)) state = CHUNK_SIZE;
      else {
        state = BODY_UNTIL_CLOSE;
        this.#closeAfter = true;
      }
    } else {
      const cl = headers['content-length'];
      if (cl !== undefined) {
        const text = Array.isArray(cl) ? sameValues(cl) : cl;
        if (text === undefined || !/^\d{1,15}$/.test(text)) throw new H1Error('HPE_INVALID_CONTENT_LENGTH', 'invalid Content-Length');
        this.#remaining = Number(text);
        state = this.#remaining === 0 ? IDLE : BODY_LENGTH;
      } else {
        state = BODY_UNTIL_CLOSE;
        this.#closeAfter = true;
      }
    }
    this.#state = state;
    d.handler.onResponseStart(d, status, headers, head.reason);
    if (this.#current !== d) return end; // aborted in the handler
    if (state === IDLE) this.#complete(d, found.next < end);
    return found.next;
  }

  #chunkSize(buf: Buffer, start: number, end: number): number {
    const found = this.#line(buf, start, end, false, MAX_CHUNK_LINE, 'HPE_INVALID_CHUNK_SIZE');
    if (found === undefined) return end;
    const semi = found.text.indexOf(';');
    const hex = (semi < 0 ? found.text : found.text.slice(0, semi)).trim();
    if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new H1Error('HPE_INVALID_CHUNK_SIZE', 'malformed chunked body');
    const size = parseInt(hex, 16);
    if (size === 0) this.#state = TRAILERS;
    else {
      this.#state = CHUNK_DATA;
      this.#remaining = size;
    }
    return found.next;
  }

  #trailers(d: H1Dispatch, buf: Buffer, start: number, end: number): number {
    const found = this.#line(buf, start, end, false, MAX_HEAD, 'HPE_HEADER_OVERFLOW');
    if (found === undefined) return end;
    if (found.text === '') this.#complete(d, found.next < end);
    return found.next;
  }

  /** Hands on up to #remaining body bytes (of a Content-Length body or a chunk); the index after them. */
  #counted(d: H1Dispatch, buf: Buffer, start: number, end: number): number {
    const take = Math.min(this.#remaining, end - start);
    this.#data(d, buf, start, take);
    this.#remaining -= take;
    return start + take;
  }

  /** Hands a copy of body bytes to the handler (READ_BUFFER is reused by the next read). */
  #data(d: H1Dispatch, buf: Buffer, start: number, length: number): void {
    if (length === 0 || d.handler.discardsBody === true) return;
    const copy = Buffer.allocUnsafe(length);
    buf.copy(copy, 0, start, start + length);
    d.handler.onResponseData(d, copy);
  }

  /** The response is complete; `extra`: more bytes followed it, so the connection is not reused. */
  #complete(d: H1Dispatch, extra = false): void {
    this.#current = undefined;
    this.#state = IDLE;
    this.#partial = undefined;
    if (this.#closeAfter || extra || !this.#gate.responseEnded()) this.#closeSocket();
    else {
      this.#reuseUntil = performance.now() + this.#keepAliveMs;
      this.#socket?.unref();
    }
    d.handler.onResponseEnd(d, {});
    this.#drive();
  }
}

function onDrain(this: ClientSocket): void {
  this[kClient]?.drained(this);
}

function onLookup(this: ClientSocket): void {
  this[kClient]?.looked();
}

function onConnect(this: ClientSocket): void {
  this[kClient]?.connected(this);
}

function onDialTimeout(socket: ClientSocket): void {
  socket.destroy(new RequestFailure('dial: i/o timeout', K6_ERROR.dialTimeout));
}

function onRead(this: ClientSocket, n: number): boolean {
  const client = this[kClient];
  if (client === undefined) this.destroy();
  else client.read(this, n);
  return true;
}

function onError(this: ClientSocket, err: Error): void {
  this[kClient]?.socketError(err);
}

function onEnd(this: ClientSocket): void {
  this[kClient]?.peerEnded(this);
}

function onClose(this: ClientSocket): void {
  this[kClient]?.socketClosed(this);
}

/** A header's value as one string (repeated headers joined), or undefined. */
function headerText(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The one value repeated Content-Length headers share, or undefined when they differ. */
function sameValues(vs: string[]): string | undefined {
  return vs.every((v) => v === vs[0]) ? vs[0] : undefined;
}

/** ms an idle connection may be reused for, from a Keep-Alive header ('timeout=5, max=1000'). */
function keepAliveMs(hint: string): number {
  const m = /timeout\s*=\s*(\d+)/i.exec(hint);
  if (m === null) return KEEP_ALIVE_MS;
  return Math.min(Number(m[1]) * 1000, KEEP_ALIVE_MAX_MS) - KEEP_ALIVE_MARGIN_MS;
}

/** Header names as servers spell them → validated and lower-cased (servers send the same few names over and over). */
const headerNames = new Map<string, string>();

function headerName(raw: string): string {
  let name = headerNames.get(raw);
  if (name === undefined) {
    if (!TOKEN.test(raw)) throw new H1Error('HPE_INVALID_HEADER_TOKEN', 'malformed HTTP response (header name)');
    name = raw.toLowerCase();
    // a flat copy as the key: a slice of the head would keep the whole head alive
    if (headerNames.size < 1_000) headerNames.set(Buffer.from(raw, 'latin1').toString('latin1'), name);
  }
  return name;
}

function isOws(c: number): boolean {
  return c === 32 || c === 9;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `text[from, to)` without the spaces and tabs around it. */
function trimmed(text: string, from: number, to: number): string {
  while (from < to && isOws(text.charCodeAt(from))) from++;
  while (to > from && isOws(text.charCodeAt(to - 1))) to--;
  return text.slice(from, to);
}

/** The LF that ends the line starting at `pos` (text.length for the last line). */
function lineFeed(text: string, pos: number): number {
  const lf = text.indexOf('\n', pos);
  return lf < 0 ? text.length : lf;
}

/** Where the line that ends at `lf` ends without its CR. */
function lineEnd(text: string, pos: number, lf: number): number {
  return lf > pos && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
}

interface ParsedHead {
  minor: number;
  status: number;
  reason: string;
  headers: IncomingHttpHeaders;
}

/**
 * Parses a response head (status line and header lines, without the empty line that ends it;
 * lines end in CR LF or, as Go's reader accepts, a bare LF). Names are lower-cased; a repeated
 * header becomes an array of its values (as undici's); an obsolete folded line continues the
 * previous value.
 */
export function parseHead(text: string): ParsedHead {
  const firstLf = lineFeed(text, 0);
  const eol = lineEnd(text, 0, firstLf);
  // HTTP/1.x SP 3DIGIT [SP reason]
  if (eol < 12 || !text.startsWith('HTTP/1.') || text.charCodeAt(8) !== 32) throw new H1Error('HPE_INVALID_CONSTANT', 'malformed HTTP response (status line)');
  const minor = text.charCodeAt(7) - 48;
  const d0 = text.charCodeAt(9);
  const d1 = text.charCodeAt(10);
  const d2 = text.charCodeAt(11);
  if ((minor !== 0 && minor !== 1) || !isDigit(d0) || !isDigit(d1) || !isDigit(d2) || d0 === 48 || (eol > 12 && text.charCodeAt(12) !== 32)) {
    throw new H1Error('HPE_INVALID_STATUS', 'malformed HTTP response (status line)');
  }
  const status = (d0 - 48) * 100 + (d1 - 48) * 10 + (d2 - 48);
  const reason = eol > 13 ? text.slice(13, eol) : '';
  const headers: IncomingHttpHeaders = {};
  let last: string | undefined;
  let pos = firstLf + 1;
  while (pos < text.length) {
    const lf = lineFeed(text, pos);
    const end = lineEnd(text, pos, lf);
    const c = text.charCodeAt(pos);
    if (isOws(c)) {
      // obs-fold: the previous header's value continues
      if (last === undefined) throw new H1Error('HPE_INVALID_HEADER_TOKEN', 'malformed HTTP response (header)');
      const more = trimmed(text, pos, end);
      const prev = headers[last]!;
      if (Array.isArray(prev)) prev[prev.length - 1] += ` ${more}`;
      else headers[last] = `${prev} ${more}`;
    } else {
      const colon = text.indexOf(':', pos);
      if (colon < 0 || colon > end) throw new H1Error('HPE_INVALID_HEADER_TOKEN', 'malformed HTTP response (header)');
      const name = headerName(text.slice(pos, colon));
      const value = trimmed(text, colon + 1, end);
      if (name !== '__proto__') {
        // own properties only: a header named "constructor" must not meet Object.prototype's
        const prev = headers[name];
        if (prev === undefined || !Object.hasOwn(headers, name)) headers[name] = value;
        else if (Array.isArray(prev)) prev.push(value);
        else headers[name] = [prev, value];
        last = name;
      }
    }
    pos = lf + 1;
  }
  return { minor, status, reason, headers };
}
