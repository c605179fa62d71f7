import { afterTurn, markTurn, passed, type TurnWaiter } from './loop-turn.js';

/**
 * When a kept-alive HTTP/1.1 connection may carry the next request: the rule that keeps a request
 * from being written onto a connection the server has already closed (and so from failing with
 * EOF, or reaching a server that will not answer it). A FIN that Node has read is always honoured
 * (the client drops the connection at its 'end'); this gate is about a FIN that is on its way,
 * sent right behind a response: Node reads it only in a later poll phase. What the client knows
 * of the server decides:
 *
 * - Not known yet: the first reuse of a connection waits for such a FIN, up to FIRST_REUSE_WAIT_MS
 *   after its response, or FIRST_REUSE_WAIT_UNSAFE_MS when the request is not one Go's rule may
 *   send again (a POST): a busy server may take a while to close (once per client and server,
 *   not per request).
 * - Keeps connections (a reused connection answered): reused at once, as by Go and undici.
 * - Closed a kept connection right after a response before (within CLOSED_RIGHT_AFTER_MS): each
 *   reuse waits until a poll phase has passed since the response (loop-turn.ts), so that a FIN sent
 *   with it is seen first.
 * - Closed a connection right after its first response (and had not been seen to keep one, or
 *   did so twice): taken to close every connection so (a server that does not say `Connection:
 *   close`); connections to it are not reused, each request gets a new one, and no request can
 *   race the server's FIN.
 *
 * Should a request still race a FIN, Go's retry rule applies (retry.ts).
 */
export const FIRST_REUSE_WAIT_MS = 10;
export const FIRST_REUSE_WAIT_UNSAFE_MS = 100;
export const CLOSED_RIGHT_AFTER_MS = 1_000;

const UNKNOWN = 0;
const KEEPS = 1;
const WARY = 2;
const CLOSES = 3;

const NOT_WAITING = 0;
const FOR_TURN = 1;
const FOR_TIMER = 2;

function onTimer(gate: ReuseGate): void {
  gate.timerFired();
}

/** What the gate calls back: the connection may be reused now (or it turned out closed). */
export interface ReuseOwner {
  reuseReady(): void;
}

/** One client's gate (one connection at a time). */
export class ReuseGate implements TurnWaiter {
  readonly #owner: ReuseOwner;
  /** What the server does with kept-alive connections: UNKNOWN, KEEPS, WARY or CLOSES. */
  #server = UNKNOWN;
  /** Responses completed on the current connection. */
  #responses = 0;
  #endedMs = 0;
  turnMark = -2;
  #waiting = NOT_WAITING;
  /** In loop-turn's list (it calls turnPassed once, when passed(turnMark)). */
  #listed = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(owner: ReuseOwner) {
    this.#owner = owner;
  }

  /** The server closes connections after one response: none is reused. */
  get serverCloses(): boolean {
    return this.#server === CLOSES;
  }

  /** A new connection is up. */
  opened(): void {
    this.#responses = 0;
    this.turnMark = -2;
  }

  /** A byte of a response arrived: on a reused connection, the server keeps connections alive. */
  responseStarted(): void {
    if (this.#responses > 0 && this.#server === UNKNOWN) this.#server = KEEPS;
  }

  /** A response ended and the connection stays open. false: do not keep it (the server closes them). */
  responseEnded(): boolean {
    if (this.#server === CLOSES) return false;
    this.#responses++;
    this.#endedMs = performance.now();
    if (this.#server === WARY) this.turnMark = markTurn();
    return true;
  }

  /** The server closed the connection (FIN, reset) while it was idle or before any byte of the next response. */
  peerClosed(): void {
    if (this.#responses > 0 && performance.now() - this.#endedMs < CLOSED_RIGHT_AFTER_MS) {
      // after its only response: the server closes every connection so, unless it was seen to keep them (then twice)
      this.#server = this.#responses === 1 && this.#server !== KEEPS ? CLOSES : WARY;
    }
    this.#responses = 0;
  }

  /**
   * Whether the idle connection may carry a request now (`replayable`: one Go's retry rule may send
   * again). If not, the owner's reuseReady() is called once it may (the owner calls cancel() should
   * the connection close meanwhile).
   */
  mayReuse(replayable: boolean): boolean {
    if (this.#waiting !== NOT_WAITING) return false;
    if (this.#server === UNKNOWN && this.#responses === 1) {
      const left = this.#endedMs + (replayable ? FIRST_REUSE_WAIT_MS : FIRST_REUSE_WAIT_UNSAFE_MS) - performance.now();
      // (a timer may fire up to a millisecond early: no second wait for that)
      if (left >= 1) {
        this.#waiting = FOR_TIMER;
        this.#timer = setTimeout(onTimer, left, this);
        return false;
      }
    }
    if (this.#server !== WARY || passed(this.turnMark)) return true;
    this.#waiting = FOR_TURN;
    if (!this.#listed) {
      this.#listed = true;
      afterTurn(this);
    }
    return false;
  }

  /** @internal loop-turn.ts: passed(turnMark) */
  turnPassed(): void {
    this.#listed = false;
    if (this.#waiting !== FOR_TURN) return;
    this.#waiting = NOT_WAITING;
    this.#owner.reuseReady();
  }

  /** @internal the first-reuse timer */
  timerFired(): void {
    this.#timer = undefined;
    if (this.#waiting !== FOR_TIMER) return;
    this.#waiting = NOT_WAITING;
    this.#owner.reuseReady();
  }

  /** Stops waiting (the connection closed, or the client is destroyed): reuseReady() is not called for it. */
  cancel(): void {
    this.#waiting = NOT_WAITING;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
