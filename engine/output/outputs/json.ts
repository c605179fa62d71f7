import { LoadtsError } from '../../errors.js';
import type { MetricDef } from '../../metrics/types.js';
import type { ResolvedOptions } from '../../options/types.js';
import { parseMetricSelector } from '../../thresholds/parse.js';
import { trace } from '../../trace.js';
import { FileSink, sinkTargetOf, targetName, type SinkTarget } from './file-sink.js';
import { goDuration, goJsonString, goTagsJson, LocalTimeFormat } from './go-format.js';
import type { Output, OutputEnv, OutputStart, OutputType, SampleBatch, SampleSeries } from './output.js';

/** One series' line, cut where the sample's time and value go (UTF-8, prepared once). */
interface PointLine {
  head: Buffer;
  tail: Buffer;
  /** A time metric: its values are written to the nanosecond, as k6's. */
  time: boolean;
}

const VALUE = Buffer.from('","value":');

/**
 * `--out json=FILE`: k6's NDJSON, field for field as k6 (output/json) writes it. Each metric gets
 * one `Metric` line before its first point:
 *   {"type":"Metric","data":{"name":…,"type":…,"contains":…,"thresholds":[…],"submetrics":…},"metric":…}
 * and every sample one `Point` line:
 *   {"metric":…,"type":"Point","data":{"time":"2026-12-02T05:37:28.625742+01:00","value":…,"tags":{…}}}
 * The coordinator formats the workers' sample batches as they arrive: per series the line's text is
 * built once, so a sample costs its time (the date part reused within a second), its value and a
 * few byte copies into the FileSink's chunks; the FileSink writes them without ever blocking.
 */
class JsonOutput implements Output {
  readonly description: string;
  #sink: FileSink | undefined;
  readonly #time = new LocalTimeFormat();
  /** Per task's series table: the line of each series id. */
  readonly #lines = new Map<readonly SampleSeries[], PointLine[]>();
  readonly #seen = new Set<string>();
  #thresholds: ResolvedOptions['thresholds'] = {};
  #stopped = false;
  #samples = 0;
  #formatMs = 0;

  constructor(private readonly target: SinkTarget, name: string) {
    this.description = `json (${name})`;
  }

  async start(info: OutputStart): Promise<void> {
    this.#thresholds = info.options.thresholds;
    this.#sink = await FileSink.open(this.target);
  }

  addSamples(batch: SampleBatch): void {
    if (this.#stopped || this.#sink === undefined) return;
    const started = performance.now();
    let lines = this.#lines.get(batch.table);
    if (lines === undefined) this.#lines.set(batch.table, (lines = []));
    const { series, values, times, length } = batch;
    const out = this.#sink.out;
    for (let i = 0; i < length; i++) {
      const id = series[i]!;
      let line = lines[id];
      if (line === undefined) {
        const s = batch.table[id]!;
        if (!this.#seen.has(s.metric.name)) {
          this.#seen.add(s.metric.name);
          out.text(metricLine(s.metric, this.#thresholds));
        }
        line = lines[id] = pointLine(s);
      }
      out.bytes(line.head);
      this.#time.writeRfc3339Nano(out, LocalTimeFormat.micros(times[i]!));
      out.bytes(VALUE);
      if (line.time) out.millis(values[i]!);
      else out.number(values[i]!);
      out.bytes(line.tail);
    }
    this.#samples += length;
    this.#formatMs += performance.now() - started;
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const perSampleUs = this.#samples > 0 ? ((this.#formatMs * 1000) / this.#samples).toFixed(2) : '-';
    trace(`${this.description}: ${this.#samples} samples formatted in ${this.#formatMs.toFixed(0)} ms (${perSampleUs} µs each), at most ${this.#sink?.maxQueuedBytes ?? 0} bytes queued`);
    await this.#sink?.close();
  }
}

function pointLine(s: SampleSeries): PointLine {
  return {
    head: Buffer.from(`{"metric":${goJsonString(s.metric.name)},"type":"Point","data":{"time":"`),
    tail: Buffer.from(`,"tags":${goTagsJson(s.tags)}}}\n`),
    time: s.metric.contains === 'time',
  };
}

/**
 * A metric's declaration line: its thresholds (those on the metric's own name, as k6 attaches them:
 * an expression string, or the object form when abortOnFail is set) and its sub-metrics (those that
 * thresholds name, and http_req_duration{expected_response:true}, which k6 adds for its summary).
 */
export function metricLine(def: MetricDef, thresholds: ResolvedOptions['thresholds']): string {
  const own = (thresholds[def.name] ?? []).map((t) =>
    t.abortOnFail ? `{"threshold":${JSON.stringify(t.source)},"abortOnFail":true,"delayAbortEval":${t.delayAbortEvalMs > 0 ? `"${goDuration(t.delayAbortEvalMs)}"` : 'null'}}` : JSON.stringify(t.source),
  );
  const subs = new Map<string, { suffix: string; tags: Record<string, string> }>();
  for (const key of Object.keys(thresholds)) {
    const open = key.indexOf('{');
    if (open < 0) continue;
    const { name, filter } = parseMetricSelector(key);
    if (name === def.name) subs.set(key, { suffix: key.slice(open + 1, key.lastIndexOf('}')).trim(), tags: filter });
  }
  if (def.name === 'http_req_duration' && ![...subs.values()].some((s) => Object.keys(s.tags).length === 1 && s.tags.expected_response === 'true')) {
    subs.set('http_req_duration{expected_response:true}', { suffix: 'expected_response:true', tags: { expected_response: 'true' } });
  }
  const submetrics =
    subs.size === 0 ? 'null' : `[${[...subs].map(([name, s]) => `{"name":${goJsonString(name)},"suffix":${goJsonString(s.suffix)},"tags":${goTagsJson(s.tags)}}`).join(',')}]`;
  const name = goJsonString(def.name);
  return `{"type":"Metric","data":{"name":${name},"type":"${def.type}","contains":"${def.contains}","thresholds":[${own.join(',')}],"submetrics":${submetrics}},"metric":${name}}\n`;
}

export const jsonOutput: OutputType = {
  name: 'json',
  help: "k6's NDJSON of every sample (.gz compressed; '-' for stdout)",
  wantsSamples: true,
  create(arg: string | undefined, env: OutputEnv): Output {
    const target = sinkTargetOf(arg, env.cwd, env.stdout);
    if (target === undefined) throw new LoadtsError('INVALID_FLAG', '--out json needs a file name: --out json=results.json (or results.json.gz, or - for stdout)');
    return new JsonOutput(target, targetName(target, arg));
  },
};
