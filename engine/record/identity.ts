import { createHash } from 'node:crypto';
import type { ResolvedOptions } from '../options/types.js';

/**
 * What makes two runs parts of one test: the same bundled script and the same options. Records
 * carry both as hashes, so `loadts merge` can refuse records of different tests, and a fleet's
 * instances can be told from strangers.
 */
export interface TestIdentity {
  /** SHA-256 of the bundled script, normalized (see normalizeBundle), hex. */
  bundleSha256: string;
  /** SHA-256 of the resolved options without the parts that differ by design between parts of one test, hex. */
  optionsSha256: string;
}

/** Placeholder for the engine's API folder in a normalized bundle. */
const API_PLACEHOLDER = 'loadts-api:';

/**
 * The bundle as it would be on any machine: the engine's API folder (an absolute file:// URL that
 * depends on where loadts is installed) replaced by a placeholder, and the inline source map
 * (whose paths depend on the temporary folder) left out.
 */
export function normalizeBundle(code: string, apiDirUrl: string): string {
  return code.split(apiDirUrl).join(API_PLACEHOLDER).replace(/\n\/\/# sourceMappingURL=[^\n]*\n?$/, '\n');
}

/** Options that differ by design between the parts of one test: each part's segment, and colours. */
const PER_PART: ReadonlySet<string> = new Set(['executionSegment', 'executionSegmentSequence', 'noColor']);

/** JSON with object keys sorted at every level (the same value always gives the same text). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** The options every part of one test shares, as canonical JSON. */
export function sharedOptionsJson(options: ResolvedOptions): string {
  const shared: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (!PER_PART.has(k)) shared[k] = v;
  return canonicalJson(shared);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The identity of a test from its bundle's code and its resolved options. */
export function testIdentity(bundleCode: string, apiDirUrl: string, options: ResolvedOptions): TestIdentity {
  return { bundleSha256: sha256(normalizeBundle(bundleCode, apiDirUrl)), optionsSha256: sha256(sharedOptionsJson(options)) };
}
