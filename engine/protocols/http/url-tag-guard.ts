import { BroadcastChannel, threadId } from 'node:worker_threads';
import { redactText } from '../../redact.js';

/** Distinct `url` tag values a worker thread may see before loadts warns. */
export const URL_TAG_LIMIT = 500;

const CHANNEL = 'loadts:url-tag-guard';
/** How long a worker that reached the limit listens for an earlier claim before it warns. */
const CLAIM_WINDOW_MS = 100;

type GuardMessage = { type: 'claim'; atMs: number; id: number } | { type: 'warned' };

/** The one-line warning: what happened and how to group URLs. */
export function urlTagWarning(limit: number, example: string): string {
  return (
    `warning: HTTP requests have used more than ${limit} distinct URLs (e.g. ${JSON.stringify(example)}); each one is a separate series of every http_req_* metric, ` +
    "which costs memory and floods the summary. Group dynamic URLs under one name: http.get(url, { tags: { name: 'GET /items/:id' } }), " +
    'or build them with the http.url template tag: http.get(http.url`${base}/items/${id}`).'
  );
}

/**
 * Counts the distinct `url` tag values HTTP requests produce in this thread and, past `limit`,
 * prints ONE warning that says how to group them (k6 warns likewise about series cardinality).
 * The HTTP client calls `note` only when a VU meets a URL (or request name) it has not tagged
 * before, so the cost stays off the per-request path; after the warning it stops counting and
 * frees its set.
 *
 * Worker threads each count their own share; so that a test prints one line, not one per thread,
 * a thread that reaches the limit claims the warning on a BroadcastChannel and waits briefly: the
 * earliest claim prints (a thread whose claim is earlier repeats it when it hears a later one, for a
 * claimer that started listening late), and a thread that has printed answers later claims with
 * 'warned'.
 */
export class UrlTagGuard {
  readonly #limit: number;
  readonly #write: (line: string) => void;
  readonly #channelName: string;
  #seen: Set<string> | undefined = new Set();
  #channel: BroadcastChannel | undefined;
  #claim: { atMs: number; timer: NodeJS.Timeout } | undefined;
  #warned = false;
  #example = '';

  constructor(opts: { limit?: number; write?: (line: string) => void; channel?: string } = {}) {
    this.#limit = opts.limit ?? URL_TAG_LIMIT;
    this.#write = opts.write ?? ((line) => process.stderr.write(`${line}\n`));
    this.#channelName = opts.channel ?? CHANNEL;
  }

  /** A url tag value a VU is about to use for the first time. */
  note(value: string): void {
    const seen = this.#seen;
    if (seen === undefined || seen.has(value)) return;
    seen.add(value);
    // Tests with a few URLs never open the channel; a thread on its way to the limit opens it early
    // enough to hear the others' claims.
    if (seen.size > this.#limit / 2) this.#listen();
    if (seen.size <= this.#limit) return;
    this.#example = value;
    this.#seen = undefined;
    if (this.#warned) return;
    const atMs = performance.timeOrigin + performance.now();
    this.#channel!.postMessage({ type: 'claim', atMs, id: threadId } satisfies GuardMessage);
    this.#claim = { atMs, timer: setTimeout(() => this.#warn(), CLAIM_WINDOW_MS) };
  }

  /** Stops listening (tests; worker threads just end). */
  close(): void {
    if (this.#claim !== undefined) clearTimeout(this.#claim.timer);
    this.#channel?.close();
    this.#channel = undefined;
  }

  #listen(): void {
    if (this.#channel !== undefined) return;
    const ch = new BroadcastChannel(this.#channelName);
    ch.unref();
    ch.onmessage = (e: unknown) => this.#onMessage((e as { data: GuardMessage }).data);
    this.#channel = ch;
  }

  #onMessage(m: GuardMessage): void {
    if (m.type === 'warned') {
      this.#warned = true;
      this.#cancelClaim();
      return;
    }
    if (this.#warned) {
      this.#channel?.postMessage({ type: 'warned' } satisfies GuardMessage);
      return;
    }
    const mine = this.#claim;
    if (mine === undefined) return;
    if (m.atMs < mine.atMs || (m.atMs === mine.atMs && m.id < threadId)) this.#cancelClaim();
    else this.#channel?.postMessage({ type: 'claim', atMs: mine.atMs, id: threadId } satisfies GuardMessage);
  }

  #cancelClaim(): void {
    if (this.#claim === undefined) return;
    clearTimeout(this.#claim.timer);
    this.#claim = undefined;
  }

  #warn(): void {
    this.#claim = undefined;
    if (this.#warned) return;
    this.#warned = true;
    this.#write(redactText(urlTagWarning(this.#limit, this.#example)));
    this.#channel?.postMessage({ type: 'warned' } satisfies GuardMessage);
  }
}

/** This thread's guard, shared by its VUs' HTTP clients. */
export const urlTagGuard = new UrlTagGuard();
