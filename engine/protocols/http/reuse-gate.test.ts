import { describe, expect, it } from 'vitest';
import { FIRST_REUSE_WAIT_MS, FIRST_REUSE_WAIT_UNSAFE_MS, ReuseGate } from './reuse-gate.js';

/** A gate and how often it said "reuse now". */
function gate(): { g: ReuseGate; ready: () => number } {
  let n = 0;
  const g = new ReuseGate({ reuseReady: () => n++ });
  return { g, ready: () => n };
}

const turn = () => new Promise<void>((r) => setImmediate(r));

describe('ReuseGate', () => {
  it('not known yet: the first reuse waits for a FIN up to FIRST_REUSE_WAIT_MS; a reused connection that answers means the server keeps them', async () => {
    const { g, ready } = gate();
    g.opened();
    g.responseStarted();
    expect(g.responseEnded()).toBe(true);
    const t0 = performance.now();
    expect(g.mayReuse(true)).toBe(false);
    while (ready() === 0) await new Promise((r) => setTimeout(r, 1));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(FIRST_REUSE_WAIT_MS - 2);
    expect(g.mayReuse(true)).toBe(true);
    g.responseStarted(); // a response on the reused connection: it keeps connections
    g.responseEnded();
    expect(g.mayReuse(true)).toBe(true); // at once, from now on
  });

  it('a request Go would not send again (a POST) waits longer for that first FIN', async () => {
    const { g, ready } = gate();
    g.opened();
    g.responseStarted();
    g.responseEnded();
    const t0 = performance.now();
    expect(g.mayReuse(false)).toBe(false);
    while (ready() === 0) await new Promise((r) => setTimeout(r, 5));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(FIRST_REUSE_WAIT_UNSAFE_MS - 2);
  });

  it('closed right after its first response: the server closes every connection, none is kept', () => {
    const { g } = gate();
    g.opened();
    g.responseStarted();
    g.responseEnded();
    expect(g.mayReuse(true)).toBe(false);
    g.peerClosed();
    g.cancel();
    expect(g.serverCloses).toBe(true);
    g.opened();
    g.responseStarted();
    expect(g.responseEnded()).toBe(false);
  });

  it('a server seen to keep connections that closes one right after a response: each reuse then waits one poll phase', async () => {
    const { g, ready } = gate();
    g.opened();
    g.responseStarted();
    g.responseEnded();
    await new Promise((r) => setTimeout(r, FIRST_REUSE_WAIT_MS + 2));
    g.responseStarted(); // reused and answered: keeps
    g.responseEnded();
    g.peerClosed(); // then closed behind a later response
    expect(g.serverCloses).toBe(false);
    g.opened();
    g.responseStarted();
    g.responseEnded();
    g.responseStarted();
    g.responseEnded();
    expect(g.mayReuse(true)).toBe(false);
    await turn();
    await turn();
    await turn();
    expect(ready()).toBe(1);
    expect(g.mayReuse(true)).toBe(true);
  });
});
