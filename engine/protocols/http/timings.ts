/**
 * k6's request timing phases, in ms. `duration` = sending + waiting + receiving; blocked,
 * connecting and tls_handshaking happen before sending and are not part of it.
 */
export interface Timings {
  blocked: number;
  connecting: number;
  tls_handshaking: number;
  sending: number;
  waiting: number;
  receiving: number;
  duration: number;
}

export function zeroTimings(): Timings {
  return { blocked: 0, connecting: 0, tls_handshaking: 0, sending: 0, waiting: 0, receiving: 0, duration: 0 };
}

/** An exchange's timing points (performance.now(); 0 where a point was not reached) and its connection's setup times. */
export interface TimingPoints {
  readonly callMs: number;
  readonly startMs: number;
  readonly sentMs: number;
  readonly firstByteMs: number;
  readonly endMs: number;
  readonly connectingMs: number;
  readonly tlsMs: number;
}

/** k6's timing phases of an exchange. Blocked is the wait for a connection, without its connect/TLS time. */
export function phaseTimings(t: TimingPoints): Timings {
  const end = t.endMs;
  if (t.startMs === 0) {
    return { blocked: end - t.callMs, connecting: 0, tls_handshaking: 0, sending: 0, waiting: 0, receiving: 0, duration: 0 };
  }
  const connecting = t.connectingMs;
  const tls = t.tlsMs;
  const sent = t.sentMs || end;
  const first = t.firstByteMs || end;
  const sending = Math.max(sent - t.startMs, 0);
  const waiting = Math.max(first - sent, 0);
  const receiving = t.firstByteMs === 0 ? 0 : Math.max(end - first, 0);
  return {
    blocked: Math.max(t.startMs - t.callMs - connecting - tls, 0),
    connecting,
    tls_handshaking: tls,
    sending,
    waiting,
    receiving,
    duration: sending + waiting + receiving,
  };
}
