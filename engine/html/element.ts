import type { AnyNode, Element as DomElement } from 'domhandler';
import { formValue } from './form-values.js';
import { Selection } from './selection.js';

/** An attribute as k6's Element.attributes() gives it. */
export interface Attribute {
  name: string;
  value: string;
  localName: string;
  prefix: string;
  namespaceURI: string;
}

const NODE_NAMES: Record<string, string> = { text: '#text', comment: '#comment', root: '#document', cdata: '#cdata-section' };

function isElement(n: AnyNode | null | undefined): n is DomElement {
  return n !== null && n !== undefined && (n.type === 'tag' || n.type === 'script' || n.type === 'style');
}

const hidden = new WeakMap<Element, { owner: Selection; node: AnyNode }>();

/** @internal The Selection an Element came from and its DOM node. */
export function internals(e: Element): { owner: Selection; node: AnyNode } {
  return hidden.get(e)!;
}

/**
 * One node of a parsed document: k6/html's Element, with DOM-style accessors written as methods,
 * as k6 has them (`el.nodeName()`, `el.textContent()`, `el.getAttribute('href')`).
 */
export class Element {
  /** @internal */
  constructor(owner: Selection, node: AnyNode) {
    hidden.set(this, { owner, node });
  }

  get #node(): AnyNode {
    return hidden.get(this)!.node;
  }

  #sel(node: AnyNode = this.#node): Selection {
    const { owner } = hidden.get(this)!;
    return new Selection(Selection.api(owner), Selection.api(owner)(node), owner.url);
  }

  #el(node: AnyNode | null | undefined): Element | undefined {
    return node === null || node === undefined ? undefined : new Element(hidden.get(this)!.owner, node);
  }

  #attr(name: string): string | undefined {
    const n = this.#node;
    return isElement(n) ? n.attribs[name] : undefined;
  }

  /** This element as a Selection. */
  selection(): Selection {
    return this.#sel();
  }
  nodeName(): string {
    const n = this.#node;
    return isElement(n) ? n.name.toLowerCase() : (NODE_NAMES[n.type] ?? ('name' in n ? String(n.name) : n.type));
  }
  nodeType(): number {
    return this.#node.nodeType;
  }
  nodeValue(): string | undefined {
    const n = this.#node;
    return n.type === 'text' || n.type === 'comment' ? n.data : undefined;
  }
  id(): string {
    return this.#attr('id') ?? '';
  }
  textContent(): string {
    return this.#sel().text();
  }
  innerHTML(): string | undefined {
    return this.#sel().html();
  }
  getAttribute(name: string): string | undefined {
    return this.#attr(name);
  }
  hasAttribute(name: string): boolean {
    return this.#attr(name) !== undefined;
  }
  hasAttributes(): boolean {
    const n = this.#node;
    return isElement(n) && Object.keys(n.attribs).length > 0;
  }
  attributes(): Record<string, Attribute> {
    const n = this.#node;
    const out: Record<string, Attribute> = {};
    if (!isElement(n)) return out;
    for (const [name, value] of Object.entries(n.attribs)) {
      const prefix = n['x-attribsPrefix']?.[name] ?? '';
      out[name] = { name, value, localName: name, prefix, namespaceURI: n['x-attribsNamespace']?.[name] ?? '' };
    }
    return out;
  }
  hasChildNodes(): boolean {
    const n = this.#node;
    return 'children' in n && n.children.length > 0;
  }
  childNodes(): Element[] {
    return this.#sel().contents().get();
  }
  children(): Element[] {
    return this.#sel().children().get();
  }
  childElementCount(): number {
    return this.#sel().children().size();
  }
  firstChild(): Element | undefined {
    const n = this.#node;
    return this.#el('children' in n ? n.children[0] : undefined);
  }
  lastChild(): Element | undefined {
    const n = this.#node;
    return this.#el('children' in n ? n.children[n.children.length - 1] : undefined);
  }
  firstElementChild(): Element | undefined {
    return this.#sel().children().get(0);
  }
  lastElementChild(): Element | undefined {
    return this.#sel().children().get(-1);
  }
  previousSibling(): Element | undefined {
    return this.#el(this.#node.prev);
  }
  nextSibling(): Element | undefined {
    return this.#el(this.#node.next);
  }
  previousElementSibling(): Element | undefined {
    return this.#sel().prev().get(0);
  }
  nextElementSibling(): Element | undefined {
    return this.#sel().next().get(0);
  }
  parentNode(): Element | undefined {
    return this.#el(this.#node.parent);
  }
  parentElement(): Element | undefined {
    return this.#sel().parent().get(0);
  }
  ownerDocument(): Element | undefined {
    let n: AnyNode = this.#node;
    while (n.parent !== null) n = n.parent;
    return n.type === 'root' ? this.#el(n) : undefined;
  }
  classList(): string[] {
    return (this.#attr('class') ?? '').split(/\s+/).filter((c) => c !== '');
  }
  className(): string | undefined {
    return this.#attr('class');
  }
  lang(): string | undefined {
    return this.#attr('lang');
  }
  namespaceURI(): string {
    const n = this.#node;
    return isElement(n) ? (n.namespace ?? 'http://www.w3.org/1999/xhtml') : '';
  }
  isDefaultNamespace(): boolean {
    return this.namespaceURI() === 'http://www.w3.org/1999/xhtml';
  }
  isSameNode(other: Element): boolean {
    return other instanceof Element && internals(other).node === this.#node;
  }
  isEqualNode(other: Element): boolean {
    return other instanceof Element && other.#sel().html() === this.#sel().html() && other.nodeName() === this.nodeName();
  }
  contains(other: Element): boolean {
    if (!(other instanceof Element) || internals(other).node === this.#node) return false;
    for (let p = internals(other).node.parent; p !== null; p = p.parent) if (p === this.#node) return true;
    return false;
  }
  matches(selector: string): boolean {
    return this.#sel().is(selector);
  }
  getElementsByClassName(name: string): Element[] {
    return this.#sel().find(`.${name}`).get();
  }
  getElementsByTagName(name: string): Element[] {
    return this.#sel().find(name).get();
  }
  querySelector(selector: string): Element | undefined {
    return this.#sel().find(selector).get(0);
  }
  querySelectorAll(selector: string): Element[] {
    return this.#sel().find(selector).get();
  }

  // Element-specific properties k6 generates for links, forms and form controls.
  /** href (a, area, link, base), resolved against the response URL. */
  href(): string {
    return this.#url('href');
  }
  /** src (img, script, iframe, …), resolved against the response URL. */
  src(): string {
    return this.#url('src');
  }
  /** A form's action, resolved against the response URL (the page itself when absent). */
  action(): string {
    return this.#url('action', true);
  }
  /** A form's method, lower-case, 'get' by default. */
  method(): string {
    return (this.#attr('method') ?? 'get').toLowerCase();
  }
  name(): string {
    return this.#attr('name') ?? '';
  }
  type(): string {
    return (this.#attr('type') ?? (this.nodeName() === 'input' ? 'text' : '')).toLowerCase();
  }
  /** A form control's value (as Selection.val()). */
  value(): string | string[] | undefined {
    const s = this.#sel();
    return formValue(Selection.nodes(s), Selection.api(s));
  }
  checked(): boolean {
    return this.hasAttribute('checked');
  }
  disabled(): boolean {
    return this.hasAttribute('disabled');
  }
  selected(): boolean {
    return this.hasAttribute('selected');
  }
  toString(): string {
    return isElement(this.#node) ? '[object html.Node]' : `[object ${this.nodeName()}]`;
  }

  #url(attr: string, selfWhenAbsent = false): string {
    const raw = this.#attr(attr);
    const base = hidden.get(this)!.owner.url;
    if (raw === undefined) return selfWhenAbsent ? base : '';
    if (base === '') return raw;
    try {
      return new URL(raw, base).href;
    } catch {
      return raw;
    }
  }
}
