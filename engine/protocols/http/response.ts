import type { IncomingHttpHeaders } from 'node:http';
import type { Timings } from './timings.js';

/** The request a response answers (k6's `res.request`). */
export interface RequestInfo {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

const canonicalCache = new Map<string, string>();

/** 'content-type' → 'Content-Type' (Go's canonical header form, as k6 shows headers). */
export function canonicalHeader(name: string): string {
  let c = canonicalCache.get(name);
  if (c === undefined) {
    c = name.split('-').map((p) => (p ? p[0]!.toUpperCase() + p.slice(1).toLowerCase() : p)).join('-');
    if (canonicalCache.size < 10_000) canonicalCache.set(name, c);
  }
  return c;
}

/** Reads a dotted path ('a.b.0.c') from parsed JSON, as k6's gjson-based selectors do for simple paths. */
export function selectJson(value: unknown, selector: string): unknown {
  let cur: unknown = value;
  for (const part of selector.split('.')) {
    if (cur === null || cur === undefined) return undefined;
    if (part === '#' && Array.isArray(cur)) return cur.length;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** An HTTP response as k6 shapes it. Headers and JSON are computed on first use. */
export class HttpResponse {
  status = 0;
  status_text = '';
  proto = '';
  url: string;
  remote_ip = '';
  remote_port = 0;
  body: string | ArrayBuffer | null = null;
  error = '';
  error_code = 0;
  timings: Timings;
  request: RequestInfo;
  #rawHeaders: IncomingHttpHeaders = {};
  #headers: Record<string, string> | undefined;
  #json: { value: unknown } | undefined;

  constructor(url: string, timings: Timings, request: RequestInfo) {
    this.url = url;
    this.timings = timings;
    this.request = request;
  }

  /** @internal */
  setRawHeaders(h: IncomingHttpHeaders): void {
    this.#rawHeaders = h;
    this.#headers = undefined;
  }

  /** Response headers with canonical names ('Content-Type'); repeated headers joined by ', '. */
  get headers(): Record<string, string> {
    if (this.#headers === undefined) {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(this.#rawHeaders)) {
        if (v !== undefined) out[canonicalHeader(k)] = Array.isArray(v) ? v.join(', ') : v;
      }
      this.#headers = out;
    }
    return this.#headers;
  }

  /** The body parsed as JSON, or the value at `selector` ('items.0.id'). Throws on invalid JSON. */
  json(selector?: string): unknown {
    if (this.#json === undefined) {
      const text = typeof this.body === 'string' ? this.body : this.body instanceof ArrayBuffer ? Buffer.from(this.body).toString('utf8') : null;
      if (text === null) throw new Error(`cannot parse JSON: the response to ${this.request.method} ${this.url} has no body (responseType none or discardResponseBodies?)`);
      try {
        this.#json = { value: JSON.parse(text) as unknown };
      } catch (e) {
        throw new Error(`cannot parse the response to ${this.request.method} ${this.url} as JSON: ${(e as Error).message}`);
      }
    }
    return selector === undefined || selector === '' ? this.#json.value : selectJson(this.#json.value, selector);
  }
}
