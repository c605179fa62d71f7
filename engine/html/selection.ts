import type { Cheerio, CheerioAPI } from 'cheerio/slim';
import type { AnyNode } from 'domhandler';
import { formValue, serialize, serializeArray, serializeObject, type FormValue } from './form-values.js';
import { Element, internals } from './element.js';

/** What selection methods accept to name nodes: a CSS selector, a Selection or an Element. */
export type SelectorArg = string | Selection | Element;
/** A matcher callback: (index, the element as a one-element Selection) → keep it? */
export type Matcher = (index: number, sel: Selection) => unknown;

type Node = Cheerio<AnyNode>;

/**
 * A set of nodes of a parsed HTML document: k6/html's Selection, a read-only jQuery-like API
 * (k6 builds it on goquery, loadts on cheerio). Methods that narrow or move return new Selections.
 */
export class Selection {
  readonly #$: CheerioAPI;
  readonly #sel: Node;
  /** The URL of the response the document came from ('' for parseHTML): links resolve against it. */
  readonly url: string;

  /** @internal built by parseHTML() and res.html() */
  constructor($: CheerioAPI, sel: Node, url = '') {
    this.#$ = $;
    this.#sel = sel;
    this.url = url;
  }

  #wrap(sel: Node): Selection {
    return new Selection(this.#$, sel, this.url);
  }

  #arg(arg: SelectorArg): string | Node | AnyNode {
    if (typeof arg === 'string') return arg;
    if (arg instanceof Selection) return arg.#sel;
    if (arg instanceof Element) return internals(arg).node;
    throw new TypeError(`Invalid argument: cannot use ${arg === null ? 'null' : typeof arg} as a selector (a CSS selector, a Selection or an Element)`);
  }

  #matcher(fn: Matcher): (i: number, el: AnyNode) => boolean {
    return (i, el) => Boolean(fn(i, this.#wrap(this.#$(el))));
  }

  /** @internal */
  static nodes(s: Selection): Node {
    return s.#sel;
  }

  /** @internal */
  static api(s: Selection): CheerioAPI {
    return s.#$;
  }

  /** Descendants matching the selector (or in the Selection, or the Element). */
  find(arg: SelectorArg): Selection {
    const a = this.#arg(arg);
    return this.#wrap(this.#sel.find(a as string));
  }
  /** This set plus the nodes matched by `arg` (in document order). */
  add(arg: SelectorArg): Selection {
    return this.#wrap(this.#sel.add(this.#arg(arg) as string));
  }
  /** For each element, itself or its nearest ancestor that matches. */
  closest(arg: SelectorArg): Selection {
    return this.#wrap(this.#sel.closest(this.#arg(arg) as string));
  }
  /** The elements that have a descendant matching `arg`. */
  has(arg: SelectorArg): Selection {
    const a = this.#arg(arg);
    if (typeof a === 'string') return this.#wrap(this.#sel.has(a));
    const targets = a instanceof Object && 'toArray' in a ? (a as Node).toArray() : [a as AnyNode];
    return this.#wrap(this.#sel.filter((_i, el) => targets.some((t) => t !== el && this.#$.contains(el, t))));
  }
  /** Elements not matching the selector, Selection, Element or function. */
  not(arg: SelectorArg | Matcher): Selection {
    if (typeof arg === 'function') return this.#wrap(this.#sel.not(this.#matcher(arg)));
    return this.#wrap(this.#sel.not(this.#arg(arg) as string));
  }
  /** Elements matching the selector, Selection or function. */
  filter(arg: string | Selection | Matcher): Selection {
    if (typeof arg === 'function') return this.#wrap(this.#sel.filter(this.#matcher(arg)));
    if (typeof arg === 'string' || arg instanceof Selection) return this.#wrap(this.#sel.filter(this.#arg(arg) as string));
    throw new TypeError('Argument to filter() must be a function, a selector or a selection');
  }
  /** Whether at least one element matches the selector, Selection or function. */
  is(arg: string | Selection | Matcher): boolean {
    if (typeof arg === 'function') return this.#sel.is(this.#matcher(arg));
    if (typeof arg === 'string' || arg instanceof Selection) return this.#sel.is(this.#arg(arg) as string);
    throw new TypeError('Argument to is() must be a function, a selector or a selection');
  }

  next(selector?: string): Selection {
    return this.#wrap(this.#sel.next(selector));
  }
  nextAll(selector?: string): Selection {
    return this.#wrap(this.#sel.nextAll(selector));
  }
  prev(selector?: string): Selection {
    return this.#wrap(this.#sel.prev(selector));
  }
  prevAll(selector?: string): Selection {
    return this.#wrap(this.#sel.prevAll(selector));
  }
  parent(selector?: string): Selection {
    return this.#wrap(this.#sel.parent(selector));
  }
  parents(selector?: string): Selection {
    return this.#wrap(this.#sel.parents(selector));
  }
  siblings(selector?: string): Selection {
    return this.#wrap(this.#sel.siblings(selector));
  }
  children(selector?: string): Selection {
    return this.#wrap(this.#sel.children(selector));
  }
  /** Children including text and comment nodes. */
  contents(): Selection {
    return this.#wrap(this.#sel.contents());
  }
  /** Following siblings up to (not including) the one matching `until`, optionally filtered. */
  nextUntil(until?: string | Selection | null, filter?: string): Selection {
    return this.#wrap(this.#sel.nextUntil(this.#until(until) as string | null, filter));
  }
  prevUntil(until?: string | Selection | null, filter?: string): Selection {
    return this.#wrap(this.#sel.prevUntil(this.#until(until) as string | null, filter));
  }
  parentsUntil(until?: string | Selection | null, filter?: string): Selection {
    return this.#wrap(this.#sel.parentsUntil(this.#until(until) as string | null, filter));
  }
  #until(until: string | Selection | null | undefined): string | Node | null {
    if (until === undefined || until === null) return null;
    return until instanceof Selection ? until.#sel : until;
  }

  /** The element at `index` (negative: from the end) as a Selection; empty when out of range. */
  eq(index: number): Selection {
    return this.#wrap(this.#sel.eq(index));
  }
  first(): Selection {
    return this.#wrap(this.#sel.first());
  }
  last(): Selection {
    return this.#wrap(this.#sel.last());
  }
  slice(start: number, end?: number): Selection {
    return this.#wrap(this.#sel.slice(start, end));
  }
  /** The Selection before the last narrowing or moving call. */
  end(): Selection {
    return this.#wrap(this.#sel.end() as Node);
  }
  /** How many nodes are in the set. */
  size(): number {
    return this.#sel.length;
  }
  get length(): number {
    return this.#sel.length;
  }

  /** The combined text of every node, descendants included. */
  text(): string {
    return this.#sel.text();
  }
  /** The inner HTML of the first element ('' for an empty Selection). */
  html(): string | undefined {
    return this.#sel.length === 0 ? '' : (this.#sel.html() ?? undefined);
  }
  /** The first element's attribute, or `defaultValue` (undefined) when it has none. */
  attr(name: string, defaultValue?: unknown): unknown {
    const v = this.#sel.attr(name);
    return v === undefined ? defaultValue : v;
  }
  /** The first element's data-* values, or the one named `key` (camelCase), parsed as jQuery does. */
  data(key?: string): unknown {
    const first = this.#sel.first();
    if (first.length === 0) return undefined;
    return key === undefined ? first.data() : first.data(key);
  }
  /** The first element's form value: input, button, textarea, option, select (an array when multiple). */
  val(): string | string[] | undefined {
    return formValue(this.#sel.first(), this.#$);
  }
  /** The form's (or these form controls') successful fields, as [{ name, value }]. */
  serializeArray(): FormValue[] {
    return serializeArray(this.#sel, this.#$);
  }
  /** The same as { name: value } (the last value of a repeated name wins). */
  serializeObject(): Record<string, string | string[]> {
    return serializeObject(this.#sel, this.#$);
  }
  /** The same as a URL-encoded query string, sorted by name (as k6's Go url.Values). */
  serialize(): string {
    return serialize(this.#sel, this.#$);
  }

  /** Calls fn(index, element) for each element; returns this Selection. */
  each(fn: (index: number, element: Element) => unknown): Selection {
    if (typeof fn !== 'function') throw new TypeError('Argument to each() must be a function.');
    this.#sel.toArray().forEach((node, i) => fn(i, new Element(this, node)));
    return this;
  }
  /** fn(index, element as a Selection) for each element; returns the results as an array. */
  map<T>(fn: (index: number, sel: Selection) => T): T[] {
    if (typeof fn !== 'function') throw new TypeError('Argument to map() must be a function');
    return this.#sel.toArray().map((node, i) => fn(i, this.#wrap(this.#$(node))));
  }
  /** The Element at `index` (negative: from the end), or every Element when no index is given. */
  get(): Element[];
  get(index: number): Element | undefined;
  get(index?: number): Element | Element[] | undefined {
    const nodes = this.#sel.toArray();
    if (index === undefined) return nodes.map((n) => new Element(this, n));
    const node = nodes[index < 0 ? nodes.length + index : index];
    return node === undefined ? undefined : new Element(this, node);
  }
  /** Each element as a one-element Selection. */
  toArray(): Selection[] {
    return this.#sel.toArray().map((n) => this.#wrap(this.#$(n)));
  }
  /** Position of the first element among its siblings, or of `arg` within this set (-1: absent). */
  index(arg?: SelectorArg): number {
    if (arg === undefined) return this.#sel.index();
    return this.#sel.index(this.#arg(arg) as string);
  }
}
