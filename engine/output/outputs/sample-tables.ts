import type { SampleMessage } from '../../metrics/sample-tap.js';
import type { MetricDef } from '../../metrics/types.js';
import type { SampleBatch, SampleSeries } from './output.js';

/**
 * Turns the workers' sample batches into SampleBatches for the outputs: each task numbers its
 * series its own way, so each keeps its own table of id → metric and tags.
 */
export class SampleTables {
  readonly #tables = new Map<object, SampleSeries[]>();

  constructor(
    private readonly defOf: (name: string) => MetricDef | undefined,
    private readonly sink: (batch: SampleBatch) => void,
  ) {}

  /** A batch from the task `source` (any object that stands for it). */
  receive(source: object, m: SampleMessage): void {
    let table = this.#tables.get(source);
    if (table === undefined) this.#tables.set(source, (table = []));
    for (const s of m.newSeries) table[s.id] = { metric: this.defOf(s.metric) ?? { name: s.metric, type: 'counter', contains: 'default' }, tags: s.tags };
    if (m.length > 0) this.sink({ length: m.length, series: m.ids, values: m.values, times: m.times, table });
  }
}
