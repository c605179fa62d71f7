import type { LlmCost } from '../../engine/output/llm-cost.js';
import { usd } from '../../engine/output/llm-cost.js';
import { h, numCell, table } from './dom.js';
import { num } from './format.js';

/** What the priced LLM requests cost, as the summary's line has it: in all, per request, per 1,000 tokens. */
export function llmCostTable(c: LlmCost): HTMLElement {
  const row = (what: string, value: number | undefined, text: string) => [what, numCell(value, text)];
  return h(
    'div',
    { id: 'llm-cost' },
    h('h3', {}, 'LLM cost (USD, at the prices of llm.configure)'),
    table('llm-cost', ['', 'cost'], [
      row('in all', c.total, usd(c.total)),
      row('per request', c.perRequest, usd(c.perRequest)),
      row('per 1,000 tokens (input and output)', c.per1kTokens, c.per1kTokens === undefined ? '–' : usd(c.per1kTokens)),
      row('requests priced', c.priced, num(c.priced)),
      row('input tokens', c.inputTokens, num(c.inputTokens)),
      row('output tokens', c.outputTokens, num(c.outputTokens)),
    ]),
  );
}
