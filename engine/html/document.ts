import { parseDocument } from './load.js';
import { Selection } from './selection.js';

/** A whole HTML document as a Selection (k6's parseHTML); `url` resolves its relative links. */
export function parseHTML(html: string, url = ''): Selection {
  if (typeof html !== 'string') throw new TypeError(`parseHTML() takes the HTML text, got ${html === null ? 'null' : typeof html}`);
  const $ = parseDocument(html);
  return new Selection($, $.root(), url);
}
