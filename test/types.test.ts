import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

/**
 * Types ship with the package: the examples import 'loadts', 'loadts/http', ... and are type-checked
 * through package.json's `exports` (the built .d.ts files), as a user's editor resolves them.
 */
describe('shipped type declarations', () => {
  it('type-check every example with strict settings', () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'examples', 'tsconfig.json')], { encoding: 'utf8' });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(output).toBe('');
  });
});
