import protobuf from 'protobufjs';
import { compress } from 'snappyjs';

/**
 * Prometheus remote write 1.0: a WriteRequest, protobuf-encoded (protobufjs, from the messages of
 * prometheus/prompb/{remote,types}.proto, field numbers as there), then snappy block-compressed
 * (snappyjs). Only the messages and fields a sender fills are declared.
 *
 * Stale markers carry one exact NaN bit pattern (0x7ff0000000000002). A JavaScript number cannot
 * be trusted to keep a NaN's payload, so they go through wire-identical messages whose 64-bit
 * field is `fixed64` (wire type 1, 8 bytes little-endian, as `double`), given as exact bits.
 */
const PROTO = `
syntax = "proto3";
package prometheus;

message WriteRequest { repeated TimeSeries timeseries = 1; }
message TimeSeries {
  repeated Label labels = 1;
  repeated Sample samples = 2;
  repeated Histogram histograms = 4;
}
message Label { string name = 1; string value = 2; }
message Sample { double value = 1; int64 timestamp = 2; }
message BucketSpan { sint32 offset = 1; uint32 length = 2; }
message Histogram {
  oneof count { uint64 count_int = 1; double count_float = 2; }
  double sum = 3;
  sint32 schema = 4;
  double zero_threshold = 5;
  oneof zero_count { uint64 zero_count_int = 6; double zero_count_float = 7; }
  repeated BucketSpan negative_spans = 8;
  repeated sint64 negative_deltas = 9;
  repeated BucketSpan positive_spans = 11;
  repeated sint64 positive_deltas = 12;
  int64 timestamp = 15;
}

message StaleWriteRequest { repeated StaleTimeSeries timeseries = 1; }
message StaleTimeSeries {
  repeated Label labels = 1;
  repeated StaleSample samples = 2;
  repeated StaleHistogram histograms = 4;
}
message StaleSample { fixed64 value = 1; int64 timestamp = 2; }
message StaleHistogram { fixed64 sum = 3; int64 timestamp = 15; }
`;

/** A label pair; a series' labels are sorted by name, `__name__` among them. */
export interface Label {
  name: string;
  value: string;
}

export interface BucketSpan {
  offset: number;
  length: number;
}

/** A native histogram sample (integer counts; bucket counts as deltas, see native-histogram.ts). */
export interface NativeHistogram {
  countInt: number;
  sum: number;
  schema: number;
  zeroThreshold: number;
  zeroCountInt: number;
  negativeSpans: BucketSpan[];
  negativeDeltas: number[];
  positiveSpans: BucketSpan[];
  positiveDeltas: number[];
  timestamp: number;
}

export interface TimeSeries {
  labels: Label[];
  samples?: Array<{ value: number; timestamp: number }>;
  histograms?: NativeHistogram[];
}

/** Prometheus's stale marker, bit for bit (model/value.StaleNaN). */
const STALE_NAN_BITS = { low: 0x00000002, high: 0x7ff00000 };

let root: protobuf.Root | undefined;
function types(): { write: protobuf.Type; stale: protobuf.Type } {
  root ??= protobuf.parse(PROTO, { keepCase: false }).root;
  return { write: root.lookupType('prometheus.WriteRequest'), stale: root.lookupType('prometheus.StaleWriteRequest') };
}

/** The snappy-compressed protobuf body of a WriteRequest. */
export function encodeWriteRequest(series: readonly TimeSeries[]): Uint8Array {
  const { write } = types();
  return compress(write.encode(write.fromObject({ timeseries: series })).finish());
}

/** The snappy-compressed body of a WriteRequest marking `series` stale at `timestamp` (histograms: `histogram`). */
export function encodeStaleMarkers(series: ReadonlyArray<{ labels: Label[]; histogram: boolean }>, timestamp: number): Uint8Array {
  const { stale } = types();
  const timeseries = series.map((s) =>
    s.histogram ? { labels: s.labels, histograms: [{ sum: STALE_NAN_BITS, timestamp }] } : { labels: s.labels, samples: [{ value: STALE_NAN_BITS, timestamp }] },
  );
  return compress(stale.encode(stale.fromObject({ timeseries })).finish());
}
