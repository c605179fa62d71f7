import { trace } from '../../trace.js';
import { csvConfig, type CsvTimeFormat } from './csv-config.js';
import { FileSink, sinkTargetOf, targetName, type SinkTarget } from './file-sink.js';
import { LocalTimeFormat } from './go-format.js';
import type { Output, OutputEnv, OutputType, SampleBatch, SampleSeries } from './output.js';
import { LoadtsError } from '../../errors.js';

/**
 * k6's tag columns: its default system tags, sorted (k6 makes one column per enabled system tag;
 * loadts has no `systemTags` option, so the set is k6's default).
 */
export const CSV_TAG_COLUMNS = ['check', 'error', 'error_code', 'expected_response', 'group', 'method', 'name', 'proto', 'scenario', 'service', 'status', 'subproto', 'tls_version', 'url'];
/** k6's header: metric_name,timestamp,metric_value, the tag columns, extra_tags,metadata. */
export const CSV_HEADER = ['metric_name', 'timestamp', 'metric_value', ...CSV_TAG_COLUMNS, 'extra_tags', 'metadata'].join(',');
const TAG_COLUMN = new Set(CSV_TAG_COLUMNS);

/**
 * A field as Go's encoding/csv writes it (k6 uses it): quoted when it holds a comma, a quote, CR or
 * LF, or starts with white space; quotes doubled. Values and times never need it.
 */
export function csvField(text: string): string {
  if (text === '') return '';
  if (/[",\r\n]/.test(text) || /^\s/u.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

/** The part of a series' rows after the value: its tag columns, extra_tags (other tags, `k=v&…`) and metadata. */
function rowTail(tags: Readonly<Record<string, string>>): string {
  const extra = Object.keys(tags)
    .filter((k) => !TAG_COLUMN.has(k))
    .sort()
    .map((k) => `${k}=${tags[k]}`)
    .join('&');
  return `,${CSV_TAG_COLUMNS.map((k) => csvField(tags[k] ?? '')).join(',')},${csvField(extra)},\n`;
}

/** A sample's timestamp column in k6's `timeFormat`, from its time in µs since the epoch. */
function timestampOf(format: CsvTimeFormat, time: LocalTimeFormat): (micros: number) => string {
  switch (format) {
    case 'unix':
      return (us) => String(Math.floor(us / 1e6));
    case 'unix_milli':
      return (us) => String(Math.floor(us / 1e3));
    case 'unix_micro':
      return (us) => String(us);
    case 'unix_nano':
      return (us) => (us === 0 ? '0' : `${us}000`); // samples carry µs
    case 'rfc3339':
      return (us) => time.rfc3339(us);
    case 'rfc3339_nano':
      return (us) => time.rfc3339Nano(us);
  }
}

/**
 * `--out csv=FILE`: k6's CSV (output/csv), one row per sample: metric_name, timestamp (k6's
 * timeFormat), metric_value (Go's %f: six decimals), one column per k6 default system tag, other
 * tags in extra_tags, and metadata (empty: loadts samples have none). Rows are formatted as
 * batches arrive (each series' tag columns once) and written at least every saveInterval.
 */
class CsvOutput implements Output {
  readonly description: string;
  #sink: FileSink | undefined;
  readonly #stamp: (micros: number) => string;
  readonly #rows = new Map<readonly SampleSeries[], Array<{ head: Buffer; tail: Buffer }>>();
  #stopped = false;
  #samples = 0;
  #formatMs = 0;

  constructor(
    private readonly target: SinkTarget,
    name: string,
    timeFormat: CsvTimeFormat,
    private readonly saveIntervalMs: number,
  ) {
    this.description = `csv (${name})`;
    this.#stamp = timestampOf(timeFormat, new LocalTimeFormat());
  }

  async start(): Promise<void> {
    this.#sink = await FileSink.open(this.target, this.saveIntervalMs);
    this.#sink.out.text(`${CSV_HEADER}\n`);
    this.#sink.out.flush();
  }

  addSamples(batch: SampleBatch): void {
    if (this.#stopped || this.#sink === undefined) return;
    const started = performance.now();
    let rows = this.#rows.get(batch.table);
    if (rows === undefined) this.#rows.set(batch.table, (rows = []));
    const { series, values, times, length } = batch;
    const out = this.#sink.out;
    for (let i = 0; i < length; i++) {
      const id = series[i]!;
      let row = rows[id];
      if (row === undefined) {
        const s = batch.table[id]!;
        row = rows[id] = { head: Buffer.from(`${csvField(s.metric.name)},`), tail: Buffer.from(rowTail(s.tags)) };
      }
      out.bytes(row.head);
      out.ascii(this.#stamp(LocalTimeFormat.micros(times[i]!)));
      out.byte(44); // ','
      out.fixed6(values[i]!);
      out.bytes(row.tail);
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

export const csvOutput: OutputType = {
  name: 'csv',
  help: "k6's CSV of every sample (.gz compressed; fileName=,saveInterval=,timeFormat=)",
  wantsSamples: true,
  create(arg: string | undefined, env: OutputEnv): Output {
    const config = csvConfig(arg, env.env);
    const target = sinkTargetOf(config.fileName, env.cwd, env.stdout);
    if (target === undefined) throw new LoadtsError('INVALID_FLAG', '--out csv needs a file name here: --out csv=results.csv');
    return new CsvOutput(target, targetName(target, config.fileName), config.timeFormat, config.saveIntervalMs);
  },
};
