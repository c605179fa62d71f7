import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoadtsError } from '../errors.js';
import { writeSummaryOutputs } from './write-results.js';

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

describe('writeSummaryOutputs', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loadts-summary-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes stdout and stderr to their streams and other keys to files under cwd, creating folders', async () => {
    const out = sink();
    const err = sink();
    const bytes = new TextEncoder().encode('<xml/>');
    await writeSummaryOutputs(
      {
        stdout: 'summary text\n',
        stderr: new TextEncoder().encode('warn\n'),
        'results/deep/summary.json': '{"a":1}',
        'junit.xml': bytes.buffer.slice(0),
        [join(dir, 'abs', 'x.txt')]: 'absolute',
      },
      { stdout: out.stream, stderr: err.stream, cwd: dir },
    );
    expect(out.text()).toBe('summary text\n');
    expect(err.text()).toBe('warn\n');
    expect(await readFile(join(dir, 'results/deep/summary.json'), 'utf8')).toBe('{"a":1}');
    expect(await readFile(join(dir, 'junit.xml'), 'utf8')).toBe('<xml/>');
    expect(await readFile(join(dir, 'abs/x.txt'), 'utf8')).toBe('absolute');
  });

  it('replaces an existing file', async () => {
    await writeFile(join(dir, 'out.txt'), 'a much longer old content');
    const io = { stdout: sink().stream, stderr: sink().stream, cwd: dir };
    await writeSummaryOutputs({ 'out.txt': 'new' }, io);
    expect(await readFile(join(dir, 'out.txt'), 'utf8')).toBe('new');
  });

  it('writes the other entries, then throws SCRIPT_HANDLE_SUMMARY naming each path it could not write', async () => {
    await writeFile(join(dir, 'blocker'), 'a file, not a folder');
    const io = { stdout: sink().stream, stderr: sink().stream, cwd: dir };
    const run = writeSummaryOutputs({ 'blocker/summary.json': '{}', 'ok.txt': 'fine', 'blocker/b.txt': 'x' }, io);
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadtsError);
    expect(error).toMatchObject({ code: 'SCRIPT_HANDLE_SUMMARY', exitCode: 107 });
    expect((error as Error).message).toContain('"blocker/summary.json"');
    expect((error as Error).message).toContain('"blocker/b.txt"');
    expect(await readFile(join(dir, 'ok.txt'), 'utf8')).toBe('fine');
  });

  it('refuses a value that is neither a string nor binary before writing anything', async () => {
    const out = sink();
    const io = { stdout: out.stream, stderr: sink().stream, cwd: dir };
    const bad = { stdout: 'text', 'n.json': 42 } as unknown as Record<string, string>;
    await expect(writeSummaryOutputs(bad, io)).rejects.toMatchObject({ code: 'SCRIPT_HANDLE_SUMMARY', message: expect.stringContaining('"n.json"') });
    expect(out.text()).toBe('');
  });

  it('skips undefined entries', async () => {
    const out = sink();
    const io = { stdout: out.stream, stderr: sink().stream, cwd: dir };
    await writeSummaryOutputs({ stdout: 'x', 'skip.txt': undefined } as unknown as Record<string, string>, io);
    expect(out.text()).toBe('x');
  });
});
