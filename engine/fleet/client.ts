import { LoadtsError, toError } from '../errors.js';
import { TOKEN_ENV, type FleetError } from './protocol.js';

/** How long one call to the coordinator may take. */
const CALL_TIMEOUT_MS = 5000;

/** An answer from the coordinator, or why there was none (`status` 0: it could not be reached). */
export interface Reply<T> {
  status: number;
  body: T | FleetError | undefined;
  /** Why the call failed without an answer. */
  failure?: string;
}

/** An instance's calls to its coordinator: JSON over HTTP with the fleet's token. */
export class FleetClient {
  readonly #base: string;
  readonly #headers: Record<string, string>;

  constructor(
    readonly url: string,
    token: string | undefined,
  ) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new LoadtsError('INVALID_FLAG', `--join ${JSON.stringify(url)} is not a URL (e.g. http://loadts-coordinator:6566)`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new LoadtsError('INVALID_FLAG', `--join ${url}: the coordinator's URL must be http:// or https://`);
    this.#base = url.replace(/\/+$/, '');
    this.#headers = token === undefined ? {} : { authorization: `Bearer ${token}` };
  }

  /** POSTs `body` as JSON; never throws. */
  async post<T>(path: string, body: unknown): Promise<Reply<T>> {
    return this.#call<T>(path, { method: 'POST', headers: { ...this.#headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }, true);
  }

  /** GETs text (the bundle); never throws. */
  async text(path: string): Promise<Reply<string>> {
    return this.#call<string>(path, { method: 'GET', headers: this.#headers }, false);
  }

  async #call<T>(path: string, init: RequestInit, json: boolean): Promise<Reply<T>> {
    try {
      const res = await fetch(`${this.#base}${path}`, { ...init, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
      const text = await res.text();
      if (res.ok) return { status: res.status, body: (json ? JSON.parse(text) : text) as T };
      let err: FleetError;
      try {
        err = JSON.parse(text) as FleetError;
      } catch {
        err = { error: `HTTP ${res.status}: ${text.slice(0, 200)}` };
      }
      return { status: res.status, body: err };
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      return { status: 0, body: undefined, failure: cause ?? toError(e).message };
    }
  }
}

/** The error line of a refused call ('wrong or missing fleet token ...'). */
export function errorOf(reply: Reply<unknown>): string {
  if (reply.status === 0) return `cannot reach the coordinator (${reply.failure ?? 'no answer'})`;
  const body = reply.body as FleetError | undefined;
  return body?.error ?? `HTTP ${reply.status}`;
}

/** The token for the fleet, from the environment ('' counts as none). */
export function fleetToken(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const t = env[TOKEN_ENV];
  return t === undefined || t === '' ? undefined : t;
}
