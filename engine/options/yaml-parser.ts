/**
 * The YAML parser, behind a static import. config-file.ts loads this module on demand: a dynamic
 * `import('yaml')` of the CommonJS package itself, once esbuild splits it into a chunk of its own,
 * exposes only a default export, and `parseDocument` was undefined in the bundled command.
 */
export { parseDocument } from 'yaml';
