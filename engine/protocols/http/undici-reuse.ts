import type { ConnectionInfo, PeerEndListener } from './connection.js';
import { ReuseGate, type ReuseOwner } from './reuse-gate.js';

/** A request held back until its client's kept connection may carry it. */
export interface HeldRequest {
  dispatchNow(): void;
}

/**
 * The reuse gate (reuse-gate.ts) for one undici Client on HTTP/1.1 (https; plain http with
 * LOADTS_HTTP1_CLIENT=undici), which loadts cannot steer from inside as it does its own H1Client:
 * a request for an idle client waits here for the gate; the exchanges report the responses, and
 * the connector reports the server's FIN (ConnectionInfo.peerEnd). Once the server is known to
 * close every connection, requests are sent with undici's `reset` (`Connection: close`), so undici
 * closes each connection after its response instead of reusing it.
 */
export class UndiciReuse implements ReuseOwner, PeerEndListener {
  readonly #gate = new ReuseGate(this);
  #held: HeldRequest[] = [];
  /** Bytes of a response are arriving on the connection. */
  #receiving = false;

  /** The server closes connections after one response: send with `reset`. */
  get serverCloses(): boolean {
    return this.#gate.serverCloses;
  }

  /** A request for the idle client: true, send it now; false, it is held and dispatchNow() follows. */
  admit(r: HeldRequest, replayable: boolean): boolean {
    if (this.#held.length === 0 && this.#gate.mayReuse(replayable)) return true;
    this.#held.push(r);
    return false;
  }

  /** @internal the gate opened */
  reuseReady(): void {
    const held = this.#held;
    this.#held = [];
    for (const r of held) r.dispatchNow();
  }

  /** A request went out on the connection `info` describes (before its `fresh` is cleared). */
  wrote(info: ConnectionInfo): void {
    if (info.fresh) this.#gate.opened();
    info.peerEnd = this;
  }

  responseStarted(): void {
    this.#receiving = true;
    this.#gate.responseStarted();
  }

  responseEnded(): void {
    this.#receiving = false;
    this.#gate.responseEnded();
  }

  responseFailed(): void {
    this.#receiving = false;
  }

  /** @internal connection.ts: the server sent FIN on this client's connection */
  peerEnded(): void {
    if (!this.#receiving) this.#gate.peerClosed();
    if (this.#held.length > 0) {
      // held requests go now: undici dials a new connection for them
      this.#gate.cancel();
      this.reuseReady();
    }
  }
}
