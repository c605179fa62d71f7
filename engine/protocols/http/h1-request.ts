import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import { canonicalHeaderName } from './header-case.js';
import { isReplayable } from './retry.js';

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

/** An HTTP token (RFC 9110): what a method and a header name are made of. */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Anything but printable ASCII and tab: then a value is looked at closely. */
const NOT_PLAIN = /[^\t\x20-\x7e]/;
/** Control characters (CR, LF, NUL, …) that would break the request's framing. */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
const EXPECTS_PAYLOAD = new Set(['POST', 'PUT', 'PATCH']);

/** What a request's abort is reported to (the H1Client that queued it). */
export interface DispatchOwner {
  aborted(d: H1Dispatch): void;
}

/** One request: queued, then written, then answered. It is also the request's controller. */
export class H1Dispatch implements Dispatcher.DispatchController {
  readonly head: string;
  /** The head has non-ASCII text (written as UTF-8; else as latin1, which is the same bytes for ASCII and cheaper). */
  readonly utf8: boolean;
  readonly body: string | Buffer | null;
  readonly handler: H1Handler;
  readonly isHead: boolean;
  readonly reset: boolean;
  /** Go's retry rule may send it again (retry.ts): it may go first onto a connection not yet known to stay open. */
  readonly replayable: boolean;
  readonly client: DispatchOwner;
  aborted = false;
  reason: Error | null = null;

  constructor(client: DispatchOwner, head: string, utf8: boolean, body: string | Buffer | null, handler: H1Handler, isHead: boolean, reset: boolean, replayable: boolean) {
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
 * The request head writer: a request as an H1Dispatch, its head (request line, Host, the headers
 * with canonical names, Content-Length from the body) written out. `hostHeader` is the origin's
 * host, unless the request sets its own. Throws (synchronously) for headers that cannot be sent.
 */
export function h1Dispatch(owner: DispatchOwner, hostHeader: string, options: Dispatcher.DispatchOptions, handler: H1Handler): H1Dispatch {
  const method = options.method;
  if (!TOKEN.test(method)) throw new H1Error('ERR_INVALID_HTTP_TOKEN', `invalid request method ${JSON.stringify(method)}`);
  const body = (options.body ?? null) as string | Buffer | null;
  let utf8 = false;
  let reset = options.reset === true;
  let host = hostHeader;
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
  return new H1Dispatch(owner, head, utf8, length === 0 ? null : body, handler, method === 'HEAD', reset, isReplayable(method, headers));
}
