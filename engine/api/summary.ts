/**
 * `textSummary` and `jUnit` for handleSummary. Also what k6's jslib URL
 * `https://jslib.k6.io/k6-summary/<version>/index.js` resolves to, so k6 scripts keep working.
 * @module loadts/summary
 */
import { textSummary as render } from '../output/text-summary.js';
import type { SummaryData } from '../output/summary-types.js';
import { jUnit } from '../output/junit.js';

/** k6's default end-of-test summary as text. */
export function textSummary(data: SummaryData, options?: { indent?: string; enableColors?: boolean }): string {
  return render(data, options);
}

export { jUnit, type JUnitOptions } from '../output/junit.js';
export type { SummaryData };
export default { textSummary, jUnit };
