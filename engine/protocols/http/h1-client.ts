import type { Dispatcher } from 'undici';
import { attachConnectionInfo, ConnectionInfo, dialTarget, type DialState } from './connection.js';
import { CLIENT_CLOSED, SOCKET_CLOSED } from './error-codes.js';
import { H1ResponseParser } from './h1-parser.js';
import { H1Error, h1Dispatch, type DispatchOwner, type H1Dispatch, type H1Handler } from './h1-request.js';
import { awaitDrain, dialTimer, dropSocket, openSocket, type ClientSocket, type SocketOwner } from './h1-socket.js';
import { ReuseGate, type ReuseOwner } from './reuse-gate.js';

export { H1Error, type H1Handler } from './h1-request.js';
export { parseHead } from './h1-head.js';
export { SOCKET_CLOSED, CLIENT_CLOSED } from './error-codes.js';

/**
 * A VU's HTTP/1.1 connection to one plain-http origin: one socket at a time, one request at a time
 * on it (no pipelining), kept alive between requests. It speaks the subset of undici's dispatcher
 * API that loadts's Exchange uses, and replaces undici's Client for http: URLs because a load
 * generator's hot path is exactly this: a Client with its wasm parser, timers and closures cost
 * ~2.5 KiB per connection and a fifth of a request's CPU; this costs a few hundred bytes and reads
 * into one shared buffer. https (TLS, ALPN, HTTP/2) stays on undici.
 *
 * Its parts: the request head writer (h1-request.ts), the response parser state machine it
 * extends (h1-parser.ts, h1-head.ts), the socket's events (h1-socket.ts) and the reuse gate
 * (reuse-gate.ts). The connection is closed after a response that says `Connection: close`, an
 * HTTP/1.0 response without keep-alive, a close-delimited body, or a request sent with `reset`,
 * and dropped at the server's FIN ('end'); when a kept one is reused is the ReuseGate's call. An
 * idle connection is not reused past the server's `Keep-Alive: timeout` hint (less 2 s) or 60 s.
 */
export class H1Client extends H1ResponseParser implements ReuseOwner, DispatchOwner, SocketOwner {
  readonly #hostname: string;
  readonly #port: number;
  readonly #hostHeader: string;
  readonly #connectTimeoutMs: number;
  readonly #dial: DialState;
  #socket: ClientSocket | undefined;
  #connecting = false;
  #queue: H1Dispatch[] = [];
  /** An idle connection is not reused after this (performance.now()). */
  #reuseUntil = 0;
  #destroyed = false;
  #socketError: Error | undefined;
  /** When the kept connection may carry the next request (reuse-gate.ts). */
  readonly #gate = new ReuseGate(this);
  /** The connection attempt in progress, and when it started and resolved the name. */
  #dialing: ClientSocket | undefined;
  #dialStartMs = 0;
  #lookupMs = 0;
  #dialTimer: NodeJS.Timeout | undefined;

  constructor(origin: string, connectTimeoutMs: number, dial: DialState, hosts: Record<string, string>) {
    super();
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
    this.#queue.push(h1Dispatch(this, this.#hostHeader, options, handler));
    this.#drive();
  }

  /** Ends every request (in flight or queued) with an error and closes the connection. */
  destroy(): Promise<void> {
    this.#destroyed = true;
    this.#gate.cancel();
    this.#dialing?.destroy(); // its 'close' settles the dial
    const err = new H1Error(CLIENT_CLOSED, 'the VU closed its connections');
    const current = this.current;
    this.current = undefined;
    this.closeSocket();
    if (current !== undefined) current.handler.onResponseError(current, err);
    this.#failQueue(err);
    return Promise.resolve();
  }

  /** @internal from H1Dispatch.abort */
  aborted(d: H1Dispatch): void {
    if (this.current === d) {
      // the response is partly read: the connection cannot carry another request
      this.current = undefined;
      this.closeSocket();
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
    while (this.current === undefined && this.#queue.length > 0 && !this.#destroyed) {
      const socket = this.#socket;
      if (socket !== undefined && this.responseIdle) {
        if (performance.now() > this.#reuseUntil) this.closeSocket();
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
    this.expectResponse(d);
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
    else awaitDrain(socket);
  }

  /** @internal socket 'drain' after a request too big to go out at once */
  drained(socket: ClientSocket): void {
    if (socket === this.#socket) this.current?.handler.onWritten();
  }

  #connect(): void {
    this.#connecting = true;
    this.#socketError = undefined;
    this.#dial.dialing++;
    this.#dialStartMs = performance.now();
    this.#lookupMs = 0;
    const socket = openSocket(this, this.#hostname, this.#port);
    this.#dialing = socket;
    this.#dialTimer = dialTimer(socket, this.#connectTimeoutMs);
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

  protected override closeSocket(): void {
    const socket = this.#socket;
    if (socket === undefined) return;
    this.#socket = undefined;
    this.resetResponse();
    dropSocket(socket);
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
    dropSocket(socket);
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
    const d = this.current;
    if (d === undefined || !this.responseBegun) this.#gate.peerClosed();
    if (d === undefined) {
      // idle: a request waiting for the gate goes out on a new connection
      this.#gate.cancel();
      this.#drive();
      return;
    }
    if (this.peerClosed(d)) return;
    d.handler.onResponseError(d, this.#socketError ?? new H1Error(SOCKET_CLOSED, 'the server closed the connection'));
    this.#drive();
  }

  /** @internal bytes read on the connected socket (`buf[0, n)`) */
  read(socket: ClientSocket, buf: Buffer, n: number): void {
    if (socket !== this.#socket || this.current === undefined) {
      // bytes nobody asked for: the connection's framing is lost
      if (socket === this.#socket) this.closeSocket();
      else socket.destroy();
      return;
    }
    try {
      this.parse(buf, 0, n);
    } catch (e) {
      const d = this.current;
      this.current = undefined;
      this.closeSocket();
      if (d !== undefined) d.handler.onResponseError(d, e as Error);
      this.#drive();
    }
  }

  protected override responseStarted(): void {
    this.#gate.responseStarted();
  }

  protected override responseComplete(d: H1Dispatch, close: boolean, keepAliveMs: number): void {
    if (close || !this.#gate.responseEnded()) this.closeSocket();
    else {
      this.#reuseUntil = performance.now() + keepAliveMs;
      this.#socket?.unref();
    }
    d.handler.onResponseEnd(d, {});
    this.#drive();
  }
}
