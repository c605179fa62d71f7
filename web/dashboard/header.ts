import { usd } from '../../engine/output/llm-cost.js';
import { h } from './dom.js';
import { clock, formatBytes, formatDuration, num } from './format.js';
import type { PageState } from './state.js';

const ENDED: Record<string, string> = {
  completed: 'finished',
  interrupted: 'interrupted',
  'thresholds-aborted': 'aborted by a threshold',
  'script-aborted': 'aborted by the script',
};

/** The run's state in a word or two, and its CSS class. */
export function outcome(state: PageState): { text: string; cls: string } {
  const end = state.end;
  if (end === undefined) {
    if (state.embedded) return { text: 'snapshot of a running test', cls: 'warn' };
    return state.disconnected ? { text: 'connection lost', cls: 'warn' } : { text: 'running', cls: 'live' };
  }
  const crossed = end.thresholds.filter((t) => !t.ok).length;
  const how = ENDED[end.state] ?? end.state;
  if (end.exitCode === 0) return { text: `${how}: passed`, cls: 'ok' };
  if (crossed > 0) return { text: `${how}: ${crossed} threshold${crossed > 1 ? 's' : ''} crossed (exit ${end.exitCode})`, cls: 'bad' };
  return { text: `${how} (exit ${end.exitCode})`, cls: 'bad' };
}

/** Title, state, times; then the figures of the moment (live) or of the whole run (at the end). */
export function header(state: PageState): HTMLElement {
  const start = state.start!;
  const last = state.last;
  const o = outcome(state);
  const elapsed = state.end ? state.end.durationMs / 1000 : (last?.t ?? 0);
  const when = new Date(start.startedAtMs).toISOString().replace('T', ' ').slice(0, 19);
  const live = !state.embedded && state.end === undefined;
  const status = h('span', { id: 'status', class: `status ${o.cls}`, 'data-state': state.end ? 'ended' : 'running' }, o.text);
  const sub = `started ${when} UTC · ${live ? `updated every ${num(start.periodMs / 1000)} s` : state.end ? 'the run is over: this is its final state' : 'taken while the test ran'}`;
  return h(
    'header',
    { class: 'top' },
    h('div', { class: 'title' }, h('h1', {}, 'loadts ', h('span', { class: 'script' }, start.script)), status),
    h('p', { class: 'muted' }, sub, ' · ', h('span', { id: 'elapsed' }, `${clock(elapsed)} elapsed`)),
    kpis(state),
  );
}

function kpi(id: string, label: string, value: string, detail: string, raw?: number): HTMLElement {
  return h('div', { class: 'kpi', id: `kpi-${id}` }, h('div', { class: 'label' }, label), h('div', { class: 'value', 'data-value': raw }, value), h('div', { class: 'detail muted' }, detail));
}

function kpis(state: PageState): HTMLElement {
  const ticks = state.ticks;
  const last = state.last;
  const sum = (f: (t: (typeof ticks)[number]) => number) => ticks.reduce((a, t) => a + f(t), 0);
  const reqs = sum((t) => t.reqs);
  const failed = sum((t) => t.failed);
  const iterations = sum((t) => t.iterations);
  const passes = sum((t) => t.checks.passes);
  const fails = sum((t) => t.checks.fails);
  const seconds = state.end ? state.end.durationMs / 1000 : (last?.t ?? 0);
  const cpu = last?.cpu.length ? Math.max(...last.cpu) : undefined;
  const vusMax = Math.max(0, ...ticks.map((t) => t.vus));
  // At the end: the whole run's figures (the record's); before: the latest tick's.
  const duration = state.end?.metrics.find((m) => m.name === 'http_req_duration')?.values;
  const p95 = state.end ? duration?.['p(95)'] : last?.latency['']?.[3];
  const p99 = state.end ? duration?.['p(99)'] : last?.latency['']?.[4];
  const cost = state.end?.llmCost;
  const reqRate = state.end ? (seconds > 0 ? reqs / seconds : 0) : last && last.dt > 0 ? last.reqs / last.dt : 0;
  return h(
    'div',
    { class: 'kpis' },
    kpi('vus', 'VUs', String(last?.vus ?? 0), `max ${vusMax} · allocated ${last?.vusMax ?? 0}`, last?.vus ?? 0),
    kpi('iterations', 'Iterations', num(iterations), `${num(seconds > 0 ? iterations / seconds : 0)}/s overall`, iterations),
    kpi('requests', 'Requests', num(reqs), `${num(reqRate)}/s ${state.end ? 'overall' : 'now'}`, reqs),
    kpi('errors', 'Failed requests', reqs > 0 ? `${((100 * failed) / reqs).toFixed(2)}%` : '–', `${num(failed)} failed`, failed),
    kpi('p95', state.end ? 'p95 latency' : 'p95 latency (now)', p95 === undefined ? '–' : formatDuration(p95), `p99 ${p99 === undefined ? '–' : formatDuration(p99)}`),
    kpi('checks', 'Checks passed', passes + fails > 0 ? `${((100 * passes) / (passes + fails)).toFixed(2)}%` : '–', `${num(fails)} failed`),
    kpi('data', 'Data received', formatBytes(sum((t) => t.dataReceived)), `sent ${formatBytes(sum((t) => t.dataSent))}`),
    kpi('cpu', 'Generator CPU', cpu === undefined ? '–' : `${Math.round(cpu * 100)}%`, 'busiest worker thread, of one core'),
    cost === undefined ? undefined : kpi('llm-cost', 'LLM cost', usd(cost.total), `${usd(cost.perRequest)} per request${cost.per1kTokens === undefined ? '' : ` · ${usd(cost.per1kTokens)} per 1,000 tokens`}`, cost.total),
  );
}

/** Warnings (the generator-bound one first) and errors of the run, as banners. */
export function banners(state: PageState): HTMLElement | undefined {
  const end = state.end;
  if (end === undefined || end.warnings.length + end.errors.length === 0) return undefined;
  return h(
    'div',
    { class: 'banners' },
    ...end.warnings.map((w) => h('div', { class: 'banner warn', role: 'alert' }, h('strong', {}, 'Warning: '), w)),
    ...end.errors.map((e) => h('div', { class: 'banner bad', role: 'alert' }, h('strong', {}, 'Error: '), e)),
  );
}
