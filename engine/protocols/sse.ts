/** One server-sent event. */
export interface SseEvent {
  /** The `data` lines joined by '\n'. */
  data: string;
  /** The `event` field, 'message' when absent. */
  event: string;
  /** The last `id` seen on the stream. */
  id: string;
  /** The `retry` field, when given. */
  retry: number | undefined;
}

/**
 * An incremental text/event-stream parser (the WHATWG algorithm): feed it chunks as they arrive,
 * it calls `onEvent` for every complete event. Comments (':...') are ignored; an event with no
 * data lines is not dispatched.
 */
export class SseParser {
  readonly #onEvent: (e: SseEvent) => void;
  readonly #decoder = new TextDecoder();
  #buffer = '';
  #data: string[] = [];
  #event = '';
  #id = '';
  #retry: number | undefined;

  constructor(onEvent: (e: SseEvent) => void) {
    this.#onEvent = onEvent;
  }

  /** Feeds bytes. */
  push(chunk: Uint8Array): void {
    this.#buffer += this.#decoder.decode(chunk, { stream: true });
    let start = 0;
    for (;;) {
      const nl = this.#buffer.slice(start).search(/\r\n|\r|\n/);
      if (nl < 0) break;
      const end = start + nl;
      const line = this.#buffer.slice(start, end);
      start = end + (this.#buffer.startsWith('\r\n', end) ? 2 : 1);
      this.#line(line);
    }
    this.#buffer = this.#buffer.slice(start);
  }

  #line(line: string): void {
    if (line === '') {
      if (this.#data.length > 0) {
        this.#onEvent({ data: this.#data.join('\n'), event: this.#event || 'message', id: this.#id, retry: this.#retry });
      }
      this.#data = [];
      this.#event = '';
      this.#retry = undefined;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.#data.push(value);
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.#id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#retry = Number(value);
        break;
    }
  }
}
