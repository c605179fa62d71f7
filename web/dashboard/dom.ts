/** Tiny DOM builders: text always goes in as text (never parsed as HTML). */
export type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | number | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
  append(el, children);
  return el;
}

export function append(el: Element, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** A titled section; `id` lets tests and links find it. */
export function section(id: string, title: string, ...children: Child[]): HTMLElement {
  return h('section', { id, class: 'card' }, h('h2', {}, title), ...children);
}

/** A table cell with its exact value kept in data-value (tests compare it with the run record). */
export function numCell(value: number | undefined, text: string): HTMLTableCellElement {
  return h('td', { class: 'num', 'data-value': value === undefined ? undefined : String(value) }, text);
}

/** A table: header cells, then rows of cells (strings become plain cells). */
export function table(cls: string, header: readonly string[], rows: ReadonlyArray<ReadonlyArray<HTMLTableCellElement | string>>): HTMLTableElement {
  return h(
    'table',
    { class: cls },
    h('thead', {}, h('tr', {}, ...header.map((c) => h('th', {}, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => (typeof c === 'string' ? h('td', {}, c) : c))))),
  );
}

/** Replaces the children of the element with id `id` (created under `parent` when missing). */
export function slot(parent: Element, id: string, cls = ''): HTMLElement {
  let el = document.getElementById(id);
  if (el === null) {
    el = h('div', { id, class: cls });
    parent.append(el);
  }
  return el;
}
