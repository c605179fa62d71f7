/**
 * Event-loop turns, for "has the socket been read once more since the response ended?".
 *
 * A server that closes a keep-alive connection right after a response (without `Connection:
 * close`) sends its FIN just behind the response's last bytes, but Node reports the FIN (the
 * socket's 'end') only on a later read, in a later poll phase. A VU that sends its next request
 * as soon as the response resolves would write it onto a connection the server has already
 * closed: the request reaches a server that will never answer it (or a reset), and it fails with
 * EOF or is sent twice. So a connection is reused only after one poll phase has passed since its
 * last response ended: a FIN that was on its way is then seen, and the request goes out on a new
 * connection instead.
 *
 * The counter advances in the check phase (setImmediate), which follows each poll phase. It ticks
 * only while some response ended in the last two turns or someone waits: one immediate per loop
 * turn for the whole thread, none when idle, nothing per request.
 */

/** Something that waits for a turn: called back once, from the check phase, when passed(turnMark). */
export interface TurnWaiter {
  readonly turnMark: number;
  turnPassed(): void;
}

let turn = 0;
/** The ticker runs until `turn` reaches this (then every mark made so far has passed). */
let tickUntil = 0;
let ticking = false;
/** Waiters, and a spare array to swap in while they are called (no allocation per turn). */
let waiting: TurnWaiter[] = [];
let spare: TurnWaiter[] = [];

function tick(): void {
  turn++;
  if (waiting.length > 0) {
    const ready = waiting;
    waiting = spare;
    for (const w of ready) {
      if (turn >= w.turnMark + 2) w.turnPassed();
      else waiting.push(w);
    }
    ready.length = 0;
    spare = ready;
  }
  if (turn < tickUntil || waiting.length > 0) setImmediate(tick);
  else ticking = false;
}

function startTicking(): void {
  if (ticking) return;
  ticking = true;
  setImmediate(tick);
}

/** Marks "a response ended now": its connection may be reused once passed(mark) is true. */
export function markTurn(): number {
  tickUntil = turn + 2;
  startTicking();
  return turn;
}

/** Whether a poll phase has run since `mark` was taken (the check phase after it, to be exact). */
export function passed(mark: number): boolean {
  return turn >= mark + 2;
}

/** Calls `waiter.turnPassed()` once passed(waiter.turnMark) is true (from the check phase). */
export function afterTurn(waiter: TurnWaiter): void {
  waiting.push(waiter);
  startTicking();
}
