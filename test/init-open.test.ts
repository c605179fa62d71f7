import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, loadts } from './helpers.js';

/**
 * open() in the init context and JSON imports, through the built CLI, run from another folder than
 * the script's (the bundle runs from a temp folder, and the cwd must not matter either).
 */
describe('open() and data files (loadts run)', () => {
  it('reads text and bytes relative to the script, imports JSON, and shares them through SharedArray', async () => {
    const dir = fixtureDir({
      'users.json': JSON.stringify([{ name: 'ann' }, { name: 'bob' }]),
      'note.txt': 'héllo\n',
    });
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'blob.bin'), Buffer.from([0, 1, 2, 255]));
    mkdirSync(join(dir, 'tests'));
    writeFileSync(
      join(dir, 'tests', 'script.js'),
      [
        "import { check } from 'k6';",
        "import { SharedArray } from 'k6/data';",
        "import users from '../users.json';",
        "const note = open('../note.txt');",
        "const blob = open('../data/blob.bin', 'b');",
        "const shared = new SharedArray('users', () => JSON.parse(open('../users.json')));",
        "export const options = { iterations: 2, thresholds: { checks: ['rate==1'] } };",
        'export default function () {',
        '  check(null, {',
        "    'text is UTF-8': () => note === 'héllo\\n',",
        "    'b gives an ArrayBuffer': () => blob instanceof ArrayBuffer && new Uint8Array(blob).join() === '0,1,2,255',",
        "    'JSON import': () => users[1].name === 'bob',",
        "    'SharedArray of opened JSON': () => shared.length === 2 && shared[0].name === 'ann',",
        '  });',
        '}',
      ].join('\n'),
    );
    const r = await loadts(['run', '-q', '--no-summary', join(dir, 'tests', 'script.js')], { cwd: '/' });
    expect(r.code, r.stderr).toBe(0);
  });

  it('open() outside the init context fails the iteration as in k6; a missing file fails the init context', async () => {
    const dir = fixtureDir({
      'late.js': "export const options = { iterations: 1 };\nexport default function () { open('./late.js'); }\n",
      'missing.js': "const data = open('./nope.csv');\nexport default function () {}\n",
    });
    const late = await loadts(['run', '-q', '--no-summary', join(dir, 'late.js')]);
    expect(late.stderr).toMatch(/open\(\) is only available in the init context \(module scope\)/);
    expect(late.stderr).toMatch(/late\.js:2:\d+/);
    const missing = await loadts(['run', '-q', join(dir, 'missing.js')]);
    expect(missing.code).toBe(107);
    expect(missing.stderr).toMatch(/^error: missing\.js:1:\d+: the init context threw: open\("\.\/nope\.csv"\): no such file \(.*nope\.csv\)/);
  });
});
