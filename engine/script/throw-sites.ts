import { parse, type Node } from 'acorn';

/** The global the rewritten throws call (installed in worker threads by engine/runtime/thrown.ts). */
export const THROW_HOOK = '__loadtsThrow';

interface ThrowNode extends Node {
  argument: Node & { type: string };
}

/** esbuild's marker before each module's code in a bundle: `// node_modules/pkg/index.js`, `// script.ts`. */
const REGION = /^ (\S+\.(?:[cm]?[jt]sx?|json))$/;

/**
 * Makes a bundle's `throw value` statements (the user's files, not node_modules) record where they
 * threw: `throw x` becomes `throw __loadtsThrow(x)`, which returns x unchanged and, when x is not an
 * Error (a thrown string has no stack), notes the call site, so that the iteration's error log can
 * name the script's file:line as k6 does. `throw new X(...)` is left alone. Text is only inserted
 * inside the statement, so line numbers, and the source map, stay right (columns after the insertion
 * on that line shift a little).
 */
export function markThrowSites(code: string): string {
  if (!code.includes('throw')) return code;
  const regions: Array<{ at: number; vendor: boolean }> = [];
  const onComment = (block: boolean, text: string, start: number): void => {
    const m = block ? null : REGION.exec(text);
    if (m) regions.push({ at: start, vendor: /(^|\/)node_modules\//.test(m[1] ?? '') });
  };
  let ast: Node;
  try {
    ast = parse(code, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true, allowAwaitOutsideFunction: true, onComment });
  } catch {
    return code; // esbuild wrote it, so this does not happen; if it did, the bundle still runs unmarked
  }
  const throws: ThrowNode[] = [];
  walk(ast, (n) => {
    if (n.type === 'ThrowStatement') throws.push(n as ThrowNode);
  });
  const edits: Array<{ at: number; text: string }> = [];
  for (const t of throws) {
    if (t.argument.type === 'NewExpression' || inVendorRegion(regions, t.start)) continue;
    edits.push({ at: t.argument.start, text: `${THROW_HOOK}(` }, { at: t.argument.end, text: ')' });
  }
  if (edits.length === 0) return code;
  edits.sort((a, b) => a.at - b.at);
  let out = '';
  let from = 0;
  for (const e of edits) {
    out += code.slice(from, e.at) + e.text;
    from = e.at;
  }
  return out + code.slice(from);
}

function inVendorRegion(regions: ReadonlyArray<{ at: number; vendor: boolean }>, pos: number): boolean {
  let vendor = false;
  for (const r of regions) {
    if (r.at > pos) break;
    vendor = r.vendor;
  }
  return vendor;
}

/** Visits every node (depth first). */
function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  for (const key of Object.keys(node)) {
    const v = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(v)) {
      for (const c of v) if (isNode(c)) walk(c, visit);
    } else if (isNode(v)) walk(v, visit);
  }
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}
