import type { SummaryData } from './summary-types.js';

/** Options of k6-summary's jUnit(). */
export interface JUnitOptions {
  /** The test suite's name; default 'k6 thresholds', as k6-summary. */
  name?: string;
  /** Each test case's classname; default unset. */
  classname?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function xmlAttr(text: string): string {
  // Characters XML 1.0 forbids are dropped; the five markup characters are escaped.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** One test case of a JUnit report: a threshold, failed when it was crossed. */
export interface JUnitCase {
  name: string;
  classname?: string;
  failure?: { message: string; detail?: string };
}

/**
 * A JUnit XML report of one test suite (CI systems show it as test results). jUnit() and the
 * `--out junit` output both write through it.
 */
export function junitXml(suiteName: string, cases: readonly JUnitCase[]): string {
  const lines = cases.map((c) => {
    const head = `<testcase name="${xmlAttr(c.name)}"${c.classname !== undefined ? ` classname="${xmlAttr(c.classname)}"` : ''}`;
    if (c.failure === undefined) return `${head} />`;
    const message = `message="${xmlAttr(c.failure.message)}"`;
    return `${head}><failure ${message}${c.failure.detail === undefined ? ' />' : `>${xmlAttr(c.failure.detail)}</failure>`}</testcase>`;
  });
  const failures = cases.filter((c) => c.failure !== undefined).length;
  return (
    `<?xml version="1.0"?>\n<testsuites tests="${cases.length}" failures="${failures}">\n` +
    `<testsuite name="${xmlAttr(suiteName)}" tests="${cases.length}" failures="${failures}">${lines.join('\n')}\n</testsuite>\n</testsuites>`
  );
}

/**
 * The thresholds as a JUnit XML report (k6-summary's jUnit): one test case per threshold, named
 * `metric - expression`, failed when the threshold was crossed. CI systems show it as test results.
 */
export function jUnit(data: SummaryData, options: JUnitOptions = {}): string {
  const cases: JUnitCase[] = [];
  for (const [metric, m] of Object.entries(data.metrics)) {
    for (const [expr, { ok }] of Object.entries(m.thresholds ?? {})) {
      const c: JUnitCase = { name: `${metric} - ${expr}`, ...(options.classname !== undefined ? { classname: options.classname } : {}) };
      if (!ok) c.failure = { message: `${metric} threshold ${expr} failed` };
      cases.push(c);
    }
  }
  return junitXml(options.name ?? 'k6 thresholds', cases);
}
