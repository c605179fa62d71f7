import { CookieJar } from '../protocols/http/cookie-jar.js';
import { getRuntime } from '../runtime/context.js';
import type { VU } from '../runtime/vu.js';

/** A VU's HTTP state that outlives its connections: its cookie jar, and the iteration it was last used in. */
interface VuHttpState {
  readonly jar: CookieJar;
  iteration: number;
}

const states = new WeakMap<VU, VuHttpState>();

/**
 * The running VU's cookie jar (`http.cookieJar()`, and the jar every request uses unless it passes
 * `params.jar`). At the VU's first HTTP call of each new iteration it does k6's per-iteration
 * housekeeping, lazily (nothing runs for iterations that make no requests): the jar is emptied
 * unless the `noCookiesReset` option is set, and the VU's connections are closed when
 * `noVUConnectionReuse` is set, so the iteration connects afresh. The jar is kept here rather than
 * on the VU's HTTP client because the client is replaced when an iteration is interrupted.
 */
export function iterationJar(vu: VU): CookieJar {
  let s = states.get(vu);
  if (s === undefined) {
    s = { jar: new CookieJar(), iteration: vu.iteration };
    states.set(vu, s);
    return s.jar;
  }
  if (s.iteration !== vu.iteration) {
    s.iteration = vu.iteration;
    const options = getRuntime().options;
    if (options?.noCookiesReset !== true) s.jar.clearAll();
    if (options?.noVUConnectionReuse === true) void vu.http.close().catch(() => {});
  }
  return s.jar;
}
