/**
 * Readers of what the web dashboard and the HTML report hold, for the output conformance suite: the
 * live page's server-sent event stream, read over HTTP as a browser reads it, and the report's
 * embedded events, found by an HTML parser (cheerio). Both are the same events (engine/dashboard/
 * events.ts); each reader throws unless they are a whole run: one start, ticks in order, one end.
 */
import { get, type ClientRequest } from 'node:http';
import { load } from 'cheerio';
import type { DashboardEvent, EndEvent, TickEvent } from '../engine/dashboard/events.js';
import type { Written } from '../engine/output/outputs/conformance.js';
import { textOf } from './output-readers.js';

/** The facts of a run's events: the requests its ticks counted, and its end. */
export function eventsWritten(events: readonly DashboardEvent[], mode: 'live' | 'report'): Written {
  const [start, ...rest] = events;
  const end = rest.pop();
  if (start?.type !== 'start' || start.mode !== mode) throw new Error(`the events do not begin with a ${mode} start: ${JSON.stringify(start)?.slice(0, 200)}`);
  if (end?.type !== 'end') throw new Error(`the events do not finish with an end event (${events.length} events)`);
  let t = 0;
  for (const e of rest) {
    if (e.type !== 'tick') throw new Error(`a ${e.type} event between the start and the end`);
    if (e.t <= t) throw new Error(`ticks out of order: ${e.t} after ${t}`);
    t = e.t;
  }
  const e = end as EndEvent;
  return {
    requests: (rest as TickEvent[]).reduce((n, tick) => n + tick.reqs, 0),
    state: e.state,
    thresholds: { total: e.thresholds.length, crossed: e.thresholds.filter((x) => !x.ok).length },
  };
}

/** The HTML report (gunzipped for .gz): its events, from the `<script id="loadts-events">` element. */
export async function readReport(path: string): Promise<Written> {
  const $ = load(textOf(path));
  const json = $('script#loadts-events[type="application/json"]').text();
  if (json === '') throw new Error(`${path}: no embedded events`);
  if ($('main#app').length !== 1) throw new Error(`${path}: no page to show them`);
  return eventsWritten(JSON.parse(json) as DashboardEvent[], 'report');
}

/**
 * The live dashboard's event stream, read from the URL the output says ('web dashboard: URL'),
 * until the server ends it (the output's stop). Server-sent events as the spec frames them:
 * `data:` lines, a blank line after each event; comments and `retry:` ignored.
 */
export class EventStreamReader {
  readonly #events: DashboardEvent[] = [];
  #request: ClientRequest | undefined;
  #connected: Promise<void> | undefined;
  #ended: Promise<void> | undefined;

  /** A line the output said: connects to the first dashboard URL in one. */
  heard(line: string): void {
    const url = /web dashboard: (http:\/\/\S+)/.exec(line)?.[1];
    if (url === undefined || this.#connected !== undefined) return;
    let ended: () => void;
    let failed: (e: Error) => void;
    this.#ended = new Promise((resolve, reject) => ((ended = resolve), (failed = reject)));
    this.#connected = new Promise((resolve, reject) => {
      this.#request = get(`${url}/events`, (res) => {
        if (res.statusCode !== 200 || !String(res.headers['content-type']).startsWith('text/event-stream')) reject(new Error(`${url}/events answered ${res.statusCode} ${res.headers['content-type']}`));
        resolve();
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (let at = buffer.indexOf('\n\n'); at >= 0; at = buffer.indexOf('\n\n')) {
            this.#frame(buffer.slice(0, at));
            buffer = buffer.slice(at + 2);
          }
        });
        res.on('end', () => (buffer.trim() === '' ? ended() : failed(new Error(`the stream ended inside an event: ${buffer.slice(0, 100)}`))));
        res.on('error', failed);
      });
      this.#request.on('error', (e) => (reject(e), failed(e)));
    });
    this.#ended.catch(() => {}); // read() reports it
  }

  /** Resolves once the stream is open (the server then sends every event, past and future). */
  async connected(): Promise<void> {
    if (this.#connected === undefined) throw new Error('the output did not say its URL');
    await this.#connected;
  }

  /** The stream's events once the server has ended it. */
  async read(): Promise<Written> {
    if (this.#ended === undefined) throw new Error('the output did not say its URL');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the event stream did not end within 15 s')), 15_000)));
    await Promise.race([this.#ended, timeout]).finally(() => clearTimeout(timer));
    return eventsWritten(this.#events, 'live');
  }

  close(): void {
    this.#request?.destroy();
  }

  #frame(block: string): void {
    const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(l.startsWith('data: ') ? 6 : 5));
    if (data.length > 0) this.#events.push(JSON.parse(data.join('\n')) as DashboardEvent);
  }
}
