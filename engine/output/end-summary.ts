import type { MetricsAggregate } from '../metrics/aggregate.js';
import { loadLevelTable } from './stage-table.js';
import { stageRowsAsLevels } from './stage-levels.js';
import { llmCostLine } from './llm-cost.js';
import { buildSummaryReport, type SummaryMode } from './summary-report.js';

export { SUMMARY_MODES } from './summary-report.js';
import type { SummaryData } from './summary-types.js';
import { extrasLines, paint, textSummary } from './text-summary.js';
import { textSummaryV1 } from './text-summary-v1.js';

/**
 * The end-of-test summary loadts prints when the script has no handleSummary: k6 1.x's compact (the
 * default) or full form, or the classic (legacy) form; then loadts's end-state line and the
 * per-stage table of ramping scenarios. Framed by blank lines, ready for stdout.
 */
export function endOfTestSummary(data: SummaryData, agg: MetricsAggregate, mode: SummaryMode, enableColors: boolean): string {
  const capacity = data.loadts?.capacityVerdict;
  const stages = loadLevelTable(data.loadts?.loadLevels ?? stageRowsAsLevels(data.loadts?.stages ?? []), capacity === undefined ? 'per-stage results' : 'load levels');
  let text: string;
  if (mode === 'legacy') text = textSummary(data, { indent: ' ', enableColors });
  else {
    const report = buildSummaryReport(data, agg, mode, data.state.testRunDurationMs);
    const v1 = textSummaryV1(report, { enableColors, summaryTrendStats: data.options.summaryTrendStats, summaryTimeUnit: data.options.summaryTimeUnit });
    text = [v1, ...extrasLines(data, '    ', paint(enableColors))].join('\n');
  }
  const cost = llmCostLine(agg, data.state.testRunDurationMs);
  const target = `${cost ? `\n${cost}\n` : ''}${data.loadts?.targetMemory === undefined ? '' : `\n ${data.loadts.targetMemory}\n`}${capacity === undefined ? '' : `\n capacity: ${capacity}\n`}`;
  return `\n${text}\n${stages ? `\n${stages}\n` : ''}${target}\n`;
}
