import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, loadts } from '../helpers.js';

const SCRIPT = `
  export const options = { iterations: 2 };
  export default async function () {
    console.log('hello', { a: 1 }, [1, 2], 3);
    console.warn('careful');
    console.error('bad');
    console.debug('only with --verbose');
    if (__ITER === 1) throw 'a thrown string';
    throw new Error('boom');
  }
`;

const TIME = 'time="\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:Z|[+-]\\d\\d:\\d\\d)"';

describe("console and errors as k6's logger prints them", () => {
  it('console.log/warn/error go to stderr with level and time; console.debug needs -v; a thrown string names its file:line', async () => {
    const dir = fixtureDir({ 'script.ts': SCRIPT });
    const r = await loadts(['run', '--workers', '1', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('hello');
    expect(r.stderr).toMatch(new RegExp(`^${TIME} level=info msg="hello \\{\\\\"a\\\\":1\\} \\[1,2\\] 3" source=console$`, 'm'));
    expect(r.stderr).toMatch(new RegExp(`^${TIME} level=warning msg=careful source=console$`, 'm'));
    expect(r.stderr).toMatch(new RegExp(`^${TIME} level=error msg=bad source=console$`, 'm'));
    expect(r.stderr).not.toContain('only with --verbose');
    // k6 prints a stack for any thrown value: the script's file:line, for a string too
    expect(r.stderr).toMatch(/level=error msg="a thrown string\\n\\tat default \(script\.ts:8:29\)" executor=shared-iterations iter=1 scenario=default source=stacktrace vu=1/);
    expect(r.stderr).toMatch(/level=error msg="Error: boom\\n\\tat default \(script\.ts:9:11\)"/);

    const v = await loadts(['run', '-v', '--workers', '1', 'script.ts'], { cwd: dir });
    expect(v.stderr).toMatch(/level=debug msg="only with --verbose" source=console/);
  });

  it('--log-format json and raw; K6_LOG_FORMAT; a bad format is a flag error', async () => {
    const dir = fixtureDir({ 'script.ts': SCRIPT });
    const json = await loadts(['run', '-q', '--log-format', 'json', '--workers', '1', 'script.ts'], { cwd: dir });
    const lines = json.stderr.split('\n').filter((l) => l.startsWith('{'));
    const hello = JSON.parse(lines.find((l) => l.includes('hello'))!);
    expect(Object.keys(hello)).toEqual(['level', 'msg', 'source', 'time']);
    expect(hello).toMatchObject({ level: 'info', msg: 'hello {"a":1} [1,2] 3', source: 'console' });
    const raw = await loadts(['run', '-q', '--workers', '1', 'script.ts'], { cwd: dir, env: { K6_LOG_FORMAT: 'raw' } });
    expect(raw.stderr).toMatch(/^careful$/m);
    expect(raw.stderr).toMatch(/^a thrown string\n\tat default \(script\.ts:8:29\)$/m);
    const bad = await loadts(['run', '--log-format', 'xml', 'script.ts'], { cwd: dir });
    expect(bad.code).toBe(104);
    expect(bad.stderr).toContain('--log-format must be one of text, json, raw, got "xml"');
  });

  it('--console-output FILE (and K6_CONSOLE_OUTPUT): the console is appended there, errors stay on stderr', async () => {
    const dir = fixtureDir({ 'script.ts': SCRIPT });
    const r = await loadts(['run', '-q', '--console-output', 'console.log', '--workers', '1', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('hello');
    expect(r.stderr).toContain('boom');
    const file = readFileSync(join(dir, 'console.log'), 'utf8');
    expect(file.match(/level=info msg="hello/g)?.length).toBe(2);
    expect(file).not.toContain('source=console'); // k6's file console has no source field
    await loadts(['run', '-q', '--workers', '1', 'script.ts'], { cwd: dir, env: { K6_CONSOLE_OUTPUT: 'console.log' } });
    expect(readFileSync(join(dir, 'console.log'), 'utf8').match(/msg="hello/g)?.length).toBe(4);
    const bad = await loadts(['run', '--console-output', join(dir, 'no/such/dir/x.log'), 'script.ts'], { cwd: dir });
    expect(bad.code).toBe(104);
    expect(bad.stderr).toMatch(/--console-output .*x\.log: cannot write there/);
  });
});
