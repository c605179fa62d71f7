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

/**
 * The thresholds as a JUnit XML report (k6-summary's jUnit): one test case per threshold, named
 * `metric - expression`, failed when the threshold was crossed. CI systems show it as test results.
 */
export function jUnit(data: SummaryData, options: JUnitOptions = {}): string {
  const cases: string[] = [];
  let failures = 0;
  for (const [metric, m] of Object.entries(data.metrics)) {
    for (const [expr, { ok }] of Object.entries(m.thresholds ?? {})) {
      const classname = options.classname !== undefined ? ` classname="${xmlAttr(options.classname)}"` : '';
      const name = `${xmlAttr(metric)} - ${xmlAttr(expr)}`;
      if (ok) {
        cases.push(`<testcase name="${name}"${classname} />`);
      } else {
        failures++;
        cases.push(`<testcase name="${name}"${classname}><failure message="${xmlAttr(`${metric} threshold ${expr} failed`)}" /></testcase>`);
      }
    }
  }
  const suite = xmlAttr(options.name ?? 'k6 thresholds');
  return (
    `<?xml version="1.0"?>\n<testsuites tests="${cases.length}" failures="${failures}">\n` +
    `<testsuite name="${suite}" tests="${cases.length}" failures="${failures}">${cases.join('\n')}\n</testsuite>\n</testsuites>`
  );
}
