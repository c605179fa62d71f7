/**
 * `import { parseHTML } from 'loadts/html'` (also 'k6/html'): k6's HTML parsing and Selection API.
 * Responses have it too: `res.html()`, `await res.submitForm()`, `await res.clickLink()`.
 * The parser loads on first use, so scripts that never parse HTML never pay for it.
 * @module loadts/html
 */
import { parseHTML as parse } from '../html/document.js';
import { Selection, type Matcher, type SelectorArg } from '../html/selection.js';
import { Element, type Attribute } from '../html/element.js';
import type { FormValue } from '../html/form-values.js';

/** Parses an HTML document; returns it as a Selection (query it with find()). */
export function parseHTML(html: string): Selection {
  return parse(html);
}

export { Selection, Element };
export type { Attribute, FormValue, Matcher, SelectorArg };
export default { parseHTML };
