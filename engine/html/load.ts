import { createRequire } from 'node:module';
import type { CheerioAPI } from 'cheerio/slim';
import type { Document } from 'domhandler';

/**
 * The HTML parser, loaded on a worker's first res.html() or parseHTML(): scripts that never parse
 * HTML never load it (~90 ms and a few MB). parse5 is an HTML5 spec parser, as k6's Go x/net/html
 * is (html, head and body are implied, tables get tbody, unclosed tags close where a browser closes
 * them); cheerio/slim queries the tree it builds (cheerio's main entry would load undici's whole
 * index for its fromURL). The specifiers are not literals, so the engine bundle leaves these
 * packages to Node (they load from node_modules).
 */
interface Parser {
  load: (doc: Document) => CheerioAPI;
  parse: (html: string) => Document;
}

const PACKAGES = { cheerio: 'cheerio/slim', parse5: 'parse5', adapter: 'parse5-htmlparser2-tree-adapter' };

let parser: Parser | undefined;

function loadParser(): Parser {
  const load = createRequire(import.meta.url);
  const cheerio = load(PACKAGES.cheerio) as { load: (doc: Document) => CheerioAPI };
  const parse5 = load(PACKAGES.parse5) as { parse: (html: string, opts: { treeAdapter: unknown }) => Document };
  const { adapter } = load(PACKAGES.adapter) as { adapter: unknown };
  return { load: (doc) => cheerio.load(doc), parse: (html) => parse5.parse(html, { treeAdapter: adapter }) };
}

/** Parses a whole HTML document into a cheerio instance rooted at the document. */
export function parseDocument(html: string): CheerioAPI {
  parser ??= loadParser();
  return parser.load(parser.parse(html));
}
