import { maxHeaderSize } from 'node:http';
import { headerText, KEEP_ALIVE_MS, keepAliveMs, parseHead, sameValues } from './h1-head.js';
import { H1Error, type H1Dispatch } from './h1-request.js';

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
/** A chunk-size line (hex size and extensions) longer than this is malformed. */
const MAX_CHUNK_LINE = 4_096;
const MAX_HEAD = maxHeaderSize;

/**
 * The response parser state machine of H1Client (its base class, so that a connection is one
 * object and the parser's state one of its fields): it reads the answer to `current` from the
 * bytes of each read, hands its head and body to the request's handler, and tells the client
 * (through the abstract hooks) when the response started, when it is complete and whether the
 * connection may carry another request, and when the connection's framing is lost.
 *
 * Responses: status line and headers (up to node:http's maxHeaderSize), bodies by Content-Length,
 * chunked transfer coding (extensions and trailers skipped) or, failing both, until the server
 * closes; 1xx responses before the final one are skipped; HEAD, 204 and 304 have no body.
 */
export abstract class H1ResponseParser {
  /** The request being answered: written, its response not complete. */
  protected current: H1Dispatch | undefined;
  #state = IDLE;
  #partial: Buffer | undefined;
  #remaining = 0;
  #closeAfter = false;
  #started = false;
  /** How long the last response allows the connection to be reused for. */
  #keepAliveMs = KEEP_ALIVE_MS;

  /** The first byte of the response to `current` arrived. */
  protected abstract responseStarted(): void;
  /** The connection cannot carry another request (its framing is lost): drop it. */
  protected abstract closeSocket(): void;
  /** `d`'s response is complete; `close`: the connection must not be reused, else it may be for `keepAliveMs`. */
  protected abstract responseComplete(d: H1Dispatch, close: boolean, keepAliveMs: number): void;

  /** `d` has been written: the next bytes are its response's. */
  protected expectResponse(d: H1Dispatch): void {
    this.current = d;
    this.#state = HEAD;
    this.#started = false;
    this.#closeAfter = d.reset;
  }

  /** No response is being read. */
  protected get responseIdle(): boolean {
    return this.#state === IDLE;
  }

  /** A byte of the response to `current` has arrived. */
  protected get responseBegun(): boolean {
    return this.#started;
  }

  /** Forgets the response being read (its connection is gone). */
  protected resetResponse(): void {
    this.#state = IDLE;
    this.#partial = undefined;
  }

  /**
   * The server closed the connection while `d` was answered: a body delimited by the close is
   * complete (true: `d` has ended); else the response is abandoned (false: the caller fails `d`).
   */
  protected peerClosed(d: H1Dispatch): boolean {
    if (this.#state === BODY_UNTIL_CLOSE) {
      this.#complete(d);
      return true;
    }
    this.current = undefined;
    this.#state = IDLE;
    this.#partial = undefined;
    return false;
  }

  /** Parses `buf[start, end)`; throws an H1Error for a malformed response. */
  protected parse(buf: Buffer, start: number, end: number): void {
    while (start < end) {
      const d = this.current;
      if (d === undefined) {
        // more bytes after a complete response (no pipelining): the framing is lost
        this.closeSocket();
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
          this.closeSocket();
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
      this.responseStarted();
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
    if (this.current !== d) return end; // aborted in the handler
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
    this.current = undefined;
    this.#state = IDLE;
    this.#partial = undefined;
    this.responseComplete(d, this.#closeAfter || extra, this.#keepAliveMs);
  }
}
