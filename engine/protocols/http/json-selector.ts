/**
 * The simple part of gjson's path syntax, which k6's `res.json(selector)` uses:
 * - `a.b.c` object keys; `items.0.id` or `items[0].id` array indices
 * - `items.#` the length of an array; `items.#.id` the `id` of every element
 * - `a\.b` a key containing a dot; `['a.b']` or `["a.b"]` the same in brackets
 * A path that does not exist gives `undefined`.
 */

type Part = string | typeof COUNT;
const COUNT = Symbol('count');

const compiled = new Map<string, Part[]>();

/** Splits a selector into keys (cached: scripts use a handful of selectors over and over). */
export function parseSelector(selector: string): Part[] {
  let parts = compiled.get(selector);
  if (parts !== undefined) return parts;
  parts = [];
  let cur = '';
  let pending = false;
  const push = (): void => {
    if (pending) parts!.push(cur === '#' ? COUNT : cur);
    cur = '';
    pending = false;
  };
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i]!;
    if (ch === '\\' && i + 1 < selector.length) {
      cur += selector[++i];
      pending = true;
    } else if (ch === '.') {
      push();
    } else if (ch === '[') {
      push();
      const close = selector.indexOf(']', i);
      if (close < 0) throw new Error(`invalid JSON selector ${JSON.stringify(selector)}: missing ]`);
      let key = selector.slice(i + 1, close).trim();
      if ((key.startsWith("'") && key.endsWith("'")) || (key.startsWith('"') && key.endsWith('"'))) key = key.slice(1, -1);
      parts.push(key);
      i = close;
    } else {
      cur += ch;
      pending = true;
    }
  }
  push();
  if (compiled.size < 1000) compiled.set(selector, parts);
  return parts;
}

function select(value: unknown, parts: Part[], from: number): unknown {
  let cur = value;
  for (let i = from; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === COUNT) {
      if (!Array.isArray(cur)) return undefined;
      if (i === parts.length - 1) return cur.length;
      const rest = i + 1;
      const out: unknown[] = [];
      for (const el of cur) {
        const v = select(el, parts, rest);
        if (v !== undefined) out.push(v);
      }
      return out;
    }
    if (cur === null || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur)) {
      const idx = Number(part);
      if (!Number.isInteger(idx) || idx < 0 || part === '') return undefined;
      cur = cur[idx];
    } else {
      if (!Object.hasOwn(cur, part)) return undefined;
      cur = (cur as Record<string, unknown>)[part];
    }
  }
  return cur;
}

/** The value at `selector` inside parsed JSON, or undefined when the path does not exist. */
export function selectJson(value: unknown, selector: string): unknown {
  return select(value, parseSelector(selector), 0);
}
