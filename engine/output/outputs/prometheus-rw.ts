import { LoadtsError, toError } from '../../errors.js';
import type { TimeInterval } from '../../metrics/time-series.js';
import type { MetricDef, Tags } from '../../metrics/types.js';
import type { MergedSink } from '../../metrics/merged-sink.js';
import { loadtsVersion } from '../../options/version.js';
import type { Output, OutputEnv, OutputStart, OutputType } from './output.js';
import { remoteWriteConfig, type RemoteWriteConfig } from './prometheus/config.js';
import type { Label, TimeSeries } from './prometheus/wire.js';

/** One loadts series, as the output keeps it: its running totals (exact merges of its intervals). */
interface Tracked {
  def: MetricDef;
  tags: Tags;
  sink: MergedSink;
  /** Timestamp of the last sample sent (ms): a series' samples must be strictly later. */
  sentAtMs: number;
  /** The latest interval end it got data in, not yet sent. */
  pendingAtMs: number | undefined;
  /** The Prometheus series it became (for stale markers). */
  sent: Array<{ labels: Label[]; histogram: boolean }>;
}

/** How long one push may take. */
const PUSH_TIMEOUT_MS = 10_000;

/**
 * `--out experimental-prometheus-rw` (k6's name and options, K6_PROMETHEUS_RW_*): the run's time
 * series pushed to a Prometheus remote-write endpoint every push interval, as k6's metric names
 * (k6_http_reqs_total, k6_http_req_duration_p99 or the native histogram k6_http_req_duration_seconds).
 * It reads the closed intervals of the time series, never samples, so it costs the hot path
 * nothing; in a fleet the coordinator pushes the merged series, once. Counters, rates, trend stats
 * and histograms are running totals since the start, as k6 sends them. The start sends an empty
 * write request, so an endpoint that refuses it stops the run before any load (k6 finds out at its
 * first push). A push that fails is warned about and the next one carries the totals; the last one,
 * at the end, must succeed.
 */
class PrometheusRemoteWrite implements Output {
  readonly description: string;
  readonly #series = new Map<string, Tracked>();
  readonly #defs = new Map<string, MetricDef>();
  #timer: NodeJS.Timeout | undefined;
  #pushing: Promise<void> = Promise.resolve();
  readonly #warned = new Set<string>();
  #modules: { wire: typeof import('./prometheus/wire.js'); mapping: typeof import('./prometheus/mapping.js'); sinks: typeof import('../../metrics/merged-sink.js'); series: typeof import('../../metrics/time-series.js'); undici: typeof import('undici') } | undefined;
  #dispatcher: import('undici').Dispatcher | undefined;

  constructor(private readonly config: RemoteWriteConfig) {
    this.description = `experimental-prometheus-rw (${config.serverUrl})`;
  }

  async start(info: OutputStart): Promise<void> {
    // protobufjs and snappyjs load only when the output is used
    const [wire, mapping, sinks, series, undiciModule] = await Promise.all([import('./prometheus/wire.js'), import('./prometheus/mapping.js'), import('../../metrics/merged-sink.js'), import('../../metrics/time-series.js'), import('undici')]);
    // a CommonJS package: bundled, its exports sit on `default`
    const undici = ((undiciModule as unknown as { default?: typeof undiciModule }).default ?? undiciModule) as typeof undiciModule;
    this.#modules = { wire, mapping, sinks, series, undici };
    for (const d of info.metrics) this.#defs.set(d.name, d);
    const c = this.config;
    if (c.insecureSkipTlsVerify || c.clientCert !== undefined) {
      this.#dispatcher = new undici.Agent({ connect: { rejectUnauthorized: !c.insecureSkipTlsVerify, ...(c.clientCert === undefined ? {} : { cert: c.clientCert, key: c.clientKey }) } });
    }
    // An empty write request first: an endpoint that refuses it stops the run before any load.
    try {
      await this.#post(wire.encodeWriteRequest([]));
    } catch (e) {
      await this.#dispatcher?.close();
      const err = toError(e) as NodeJS.ErrnoException; // both of localhost's addresses refusing: an AggregateError with no message
      throw new Error(`cannot push to ${c.serverUrl}: ${err.message || err.code || err.name}`);
    }
    this.#timer = setInterval(() => void this.#push(false), c.pushIntervalMs);
    this.#timer.unref();
  }

  addInterval(interval: TimeInterval): void {
    const m = this.#modules!;
    for (const s of interval.series) {
      const id = `${s.metric}\u0000${s.key}`;
      let t = this.#series.get(id);
      if (t === undefined) {
        const def = this.#defs.get(s.metric) ?? { name: s.metric, type: s.data.type, contains: 'default' as const };
        t = { def, tags: s.tags, sink: new m.sinks.MergedSink(s.data.type), sentAtMs: 0, pendingAtMs: undefined, sent: [] };
        this.#series.set(id, t);
      }
      t.sink.add(m.series.decodeData(s.data));
      t.pendingAtMs = Math.max(t.pendingAtMs ?? 0, interval.endMs);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#push(true);
    if (this.config.staleMarkers) await this.#staleMarkers();
    await this.#dispatcher?.close();
  }

  /** Sends every series that got data since the last push (one push at a time). */
  #push(last: boolean): Promise<void> {
    const next = this.#pushing.then(async () => {
      const m = this.#modules!;
      const now = Date.now();
      const out: TimeSeries[] = [];
      const trend = { nativeHistogram: this.config.trendAsNativeHistogram, stats: this.config.trendStats };
      for (const t of this.#series.values()) {
        if (t.pendingAtMs === undefined) continue;
        const at = Math.max(Math.min(Math.round(t.pendingAtMs), now), t.sentAtMs + 1);
        const series = m.mapping.toPrometheus(t.def, t.tags, t.sink, at, trend, this.config.labels);
        out.push(...series);
        t.pendingAtMs = undefined;
        t.sentAtMs = at;
        if (t.sent.length === 0) t.sent = series.map((s) => ({ labels: s.labels, histogram: s.histograms !== undefined }));
      }
      if (out.length > 0) await this.#send(m.wire.encodeWriteRequest(out), last);
    });
    this.#pushing = next.catch(() => {});
    return next;
  }

  async #staleMarkers(): Promise<void> {
    const all = [...this.#series.values()];
    if (all.length === 0) return;
    const at = Math.max(...all.map((t) => t.sentAtMs)) + 1;
    await this.#send(this.#modules!.wire.encodeStaleMarkers(all.flatMap((t) => t.sent), at), true);
  }

  async #send(body: Uint8Array, mustSucceed: boolean): Promise<void> {
    try {
      await this.#post(body);
    } catch (e) {
      const message = toError(e).message;
      if (mustSucceed) throw new Error(`the last push failed: ${message}`);
      if (!this.#warned.has(message)) process.stderr.write(`warning: output ${this.description}: a push failed (the next one carries the totals): ${message}\n`);
      this.#warned.add(message);
    }
  }

  /** One POST of a snappy-compressed WriteRequest; throws unless the endpoint answers 2xx. */
  async #post(body: Uint8Array): Promise<void> {
    const res = await this.#modules!.undici.request(this.config.serverUrl, {
      method: 'POST',
      body,
      headers: {
        ...this.config.headers,
        'content-type': 'application/x-protobuf',
        'content-encoding': 'snappy',
        'x-prometheus-remote-write-version': '0.1.0',
        'user-agent': `loadts/${loadtsVersion()}`,
      },
      ...(this.#dispatcher === undefined ? {} : { dispatcher: this.#dispatcher }),
      signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${this.config.serverUrl} answered ${res.statusCode}: ${text.trim().slice(0, 300)}`);
  }
}

export const prometheusRemoteWriteOutput: OutputType = {
  name: 'experimental-prometheus-rw',
  help: "Prometheus remote write with k6's metric names (K6_PROMETHEUS_RW_* options)",
  wantsSamples: false,
  create(arg: string | undefined, env: OutputEnv): Output {
    try {
      return new PrometheusRemoteWrite(remoteWriteConfig(arg, env.env, env.cwd));
    } catch (e) {
      if (e instanceof LoadtsError) throw new LoadtsError('INVALID_FLAG', `--out experimental-prometheus-rw: ${e.message}`);
      throw e;
    }
  },
};
