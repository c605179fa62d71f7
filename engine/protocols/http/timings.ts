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
