/**
 * Readers of what the outputs write, for the conformance suite and the end-to-end tests: each reads
 * its file with a real parser (JSON, papaparse, fast-xml-parser, marked, gunzip) and throws unless
 * the file is complete and valid.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { lexer, type Tokens } from 'marked';
import Papa from 'papaparse';
import { readRecord } from '../engine/record/io.js';
import type { Written } from '../engine/output/outputs/conformance.js';

/** A file's text; gunzipped (which fails on a stream that was cut short) when its name ends in .gz. */
export function textOf(path: string): string {
  const bytes = readFileSync(path);
  return path.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
}

export interface NdjsonLine {
  type: 'Metric' | 'Point';
  metric: string;
  data: { name?: string; type?: string; contains?: string; thresholds?: unknown[]; submetrics?: unknown; time?: string; value?: number; tags?: Record<string, string> };
}

/** k6's NDJSON: every line JSON, ended by a newline, each metric declared before its first point. */
export function ndjsonLines(path: string): NdjsonLine[] {
  const text = textOf(path);
  if (text !== '' && !text.endsWith('\n')) throw new Error(`${path}: the last line is cut short`);
  const lines = text === '' ? [] : text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as NdjsonLine);
  const declared = new Set<string>();
  for (const l of lines) {
    if (l.type === 'Metric') {
      if (declared.has(l.metric)) throw new Error(`${path}: metric ${l.metric} declared twice`);
      declared.add(l.metric);
    } else if (l.type !== 'Point' || !declared.has(l.metric)) throw new Error(`${path}: a point of ${l.metric} before its Metric line`);
    else if (Number.isNaN(Date.parse(l.data.time!)) || typeof l.data.value !== 'number') throw new Error(`${path}: a bad point ${JSON.stringify(l)}`);
  }
  return lines;
}

export async function readNdjson(path: string): Promise<Written> {
  const points = ndjsonLines(path).filter((l) => l.type === 'Point');
  return { samples: points.length, requests: points.filter((p) => p.metric === 'http_reqs').length };
}

/** k6's CSV: the header, then rows of as many fields, parsed by papaparse. */
export function csvRows(path: string): Array<Record<string, string>> {
  const text = textOf(path);
  if (!text.endsWith('\n')) throw new Error(`${path}: the last row is cut short`);
  const parsed = Papa.parse<Record<string, string>>(text.slice(0, -1), { header: true });
  if (parsed.errors.length > 0) throw new Error(`${path}: ${JSON.stringify(parsed.errors.slice(0, 3))}`);
  if (parsed.meta.fields?.[0] !== 'metric_name') throw new Error(`${path}: no header`);
  return parsed.data;
}

export async function readCsv(path: string): Promise<Written> {
  const rows = csvRows(path);
  return { samples: rows.length, requests: rows.filter((r) => r.metric_name === 'http_req_duration').length };
}

export interface JUnitCaseRead {
  name: string;
  failure?: { message: string; text?: string };
}

/** A JUnit report, validated and parsed by fast-xml-parser. */
export function junitCases(path: string): JUnitCaseRead[] {
  const xml = textOf(path);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`${path}: not XML: ${valid.err.msg} at line ${valid.err.line}`);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' }).parse(xml);
  const suite = doc.testsuites?.testsuite;
  if (suite === undefined) throw new Error(`${path}: no <testsuites><testsuite>`);
  const cases = (suite.testcase ?? []) as Array<{ name: string; failure?: { message: string; '#text'?: string } | '' }>;
  if (Number(suite.tests) !== cases.length) throw new Error(`${path}: tests="${suite.tests}" but ${cases.length} test cases`);
  return cases.map((c) => ({ name: c.name, ...(c.failure === undefined ? {} : { failure: { message: (c.failure as { message: string }).message, text: (c.failure as { '#text'?: string })['#text'] } }) }));
}

export async function readJUnit(path: string): Promise<Written> {
  const cases = junitCases(path);
  return { thresholds: { total: cases.length, crossed: cases.filter((c) => c.failure !== undefined).length } };
}

/** The run summaries appended to a step summary file, parsed by marked (GitHub-flavoured Markdown). */
export function stepSummaries(path: string): Array<{ heading: string; state: string; tables: Map<string, Tokens.Table> }> {
  const text = readFileSync(path, 'utf8');
  const runs = text.split(/^(?=## loadts )/m).filter((s) => s.trim() !== '');
  return runs.map((md) => {
    const tokens = lexer(md);
    const heading = tokens.find((t): t is Tokens.Heading => t.type === 'heading' && t.depth === 2)?.text;
    const state = /\*\*End state:\*\* ([a-z-]+), exit code \d+/.exec(md)?.[1];
    if (heading === undefined || state === undefined) throw new Error(`${path}: a run without its heading or end state:\n${md}`);
    const tables = new Map<string, Tokens.Table>();
    let title = '';
    for (const t of tokens) {
      if (t.type === 'heading') title = (t as Tokens.Heading).text;
      if (t.type === 'table') tables.set(title.replace(/:.*/, ''), t as Tokens.Table);
    }
    return { heading, state, tables };
  });
}

export async function readStepSummary(path: string): Promise<Written> {
  const runs = stepSummaries(path);
  if (runs.length !== 1) throw new Error(`${path}: ${runs.length} run summaries, expected 1`);
  const { state, tables } = runs[0]!;
  const thresholds = tables.get('Thresholds');
  const crossed = thresholds?.rows.filter((r) => r[0]!.text === '❌').length ?? 0;
  const reqs = tables.get('Key metrics')?.rows.find((r) => r[0]!.text === 'HTTP requests')?.[1]!.text;
  // no row when the run made no HTTP request
  const requests = reqs === undefined ? 0 : Number(reqs.split(' ')[0]!.replace(/,/g, ''));
  return { state, thresholds: { total: thresholds?.rows.length ?? 0, crossed }, requests };
}

export async function readRunRecord(path: string): Promise<Written> {
  const r = await readRecord(path);
  const requests = r.metrics.series.filter((s) => s.metric === 'http_reqs').reduce((n, s) => n + (s.data.type === 'counter' ? s.data.sum : 0), 0);
  return { state: r.end.state, requests, thresholds: { total: r.thresholds.length, crossed: r.thresholds.filter((t) => !t.ok).length } };
}
