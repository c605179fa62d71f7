#!/usr/bin/env node
// Thin launcher: the engine is compiled to dist/ by `npm install` (the `prepare` script).
import { existsSync } from 'node:fs';

// dist/bundle/ (scripts/bundle-engine.mjs) starts fastest; dist/cli/ is the plain tsc build.
const bundled = new URL('../dist/bundle/cli/main.js', import.meta.url);
const entry = existsSync(bundled) && process.env.LOADTS_UNBUNDLED === undefined ? bundled : new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('loadts is not built: run `npm install` (or `npm run build`) in the loadts folder first\n');
  process.exit(103);
}
const { main } = await import(entry.href);
const code = await main(process.argv.slice(2));
// Let stdout/stderr drain, then exit with the run's code.
process.exitCode = code;
setImmediate(() => process.exit(code));
