/**
 * A Prometheus remote-write receiver on a loopback port, for the output conformance suite: a real
 * HTTP endpoint that takes what `--out experimental-prometheus-rw` pushes, checks each request as
 * Prometheus would (headers, snappy block compression by snappyjs, protobuf by protobufjs from its
 * own copy of prompb's messages, not the sender's), and keeps the series. test/prometheus-rw.test.ts
 * pushes to a real Prometheus instead.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';
import { uncompress } from 'snappyjs';
import type { Written } from '../engine/output/outputs/conformance.js';

/** prometheus/prompb: the fields a receiver reads (field numbers as in remote.proto and types.proto). */
const PROMPB = `
syntax = "proto3";
message WriteRequest { repeated TimeSeries timeseries = 1; }
message TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; repeated Histogram histograms = 4; }
message Label { string name = 1; string value = 2; }
message Sample { double value = 1; int64 timestamp = 2; }
message Histogram { uint64 count_int = 1; double sum = 3; int64 timestamp = 15; }
`;
const WriteRequest = protobuf.parse(PROMPB).root.lookupType('WriteRequest');

interface Series {
  labels: Array<{ name: string; value: string }>;
  samples: Array<{ value: number; timestamp: number }>;
  histograms: Array<{ timestamp: number }>;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export class RemoteWriteReceiver {
  /** Write requests received (the output's first one, at its start, is empty). */
  pushes = 0;
  /** Each series (by its labels): its name and samples, in the order received. */
  readonly series = new Map<string, { name: string; samples: Series['samples'] }>();
  readonly #problems: string[] = [];
  readonly #lastAt = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    /** The pushes it accepts before answering 503 to every other one. */
    private readonly accepts: number,
  ) {}

  /** Listens on a free loopback port. */
  static async start(accepts = Number.POSITIVE_INFINITY): Promise<RemoteWriteReceiver> {
    const server = createServer();
    const receiver = new RemoteWriteReceiver(server, accepts);
    server.on('request', (req, res) => receiver.#handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v1/write`;
  }

  /** What the pushes hold: the requests, the last value of each `k6_http_reqs_total` series (running totals). Throws on a malformed push. */
  written(): Written {
    if (this.#problems.length > 0) throw new Error(`remote write: ${this.#problems.slice(0, 3).join('; ')}`);
    if (this.pushes === 0) throw new Error('remote write: nothing was pushed');
    let requests = 0;
    for (const s of this.series.values()) if (s.name === 'k6_http_reqs_total') requests += s.samples.at(-1)!.value;
    return { requests };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.pushes++;
      if (this.pushes > this.accepts) return void res.writeHead(503).end('the receiver stopped accepting');
      try {
        this.#check(req);
        this.#take(WriteRequest.toObject(WriteRequest.decode(uncompress(Buffer.concat(chunks))), { longs: Number, defaults: true }) as { timeseries: Series[] });
        res.writeHead(204).end();
      } catch (e) {
        this.#problems.push((e as Error).message);
        res.writeHead(400).end((e as Error).message);
      }
    });
  }

  #check(req: IncomingMessage): void {
    const h = req.headers;
    if (req.method !== 'POST' || new URL(req.url ?? '', 'http://x').pathname !== '/api/v1/write') throw new Error(`${req.method} ${req.url}`);
    if (h['content-type'] !== 'application/x-protobuf' || h['content-encoding'] !== 'snappy' || h['x-prometheus-remote-write-version'] !== '0.1.0') throw new Error(`headers ${JSON.stringify(h)}`);
  }

  /** Keeps a write request's series, checking each as Prometheus's TSDB would take it. */
  #take(request: { timeseries: Series[] }): void {
    for (const s of request.timeseries) {
      const names = s.labels.map((l) => l.name);
      const key = s.labels.map((l) => `${l.name}=${l.value}`).join(',');
      if (names.some((n, i) => i > 0 && n <= names[i - 1]!)) throw new Error(`labels not sorted or repeated: ${key}`);
      const name = s.labels.find((l) => l.name === '__name__')?.value ?? '';
      if (!METRIC_NAME.test(name)) throw new Error(`no valid __name__: ${key}`);
      const points = [...s.samples, ...s.histograms];
      if (points.length === 0) throw new Error(`a series with no sample: ${key}`);
      for (const p of points) {
        if (p.timestamp <= (this.#lastAt.get(key) ?? 0)) throw new Error(`${key}: sample at ${p.timestamp} not after the last one`);
        this.#lastAt.set(key, p.timestamp);
      }
      let kept = this.series.get(key);
      if (kept === undefined) this.series.set(key, (kept = { name, samples: [] }));
      kept.samples.push(...s.samples);
    }
  }
}
