import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from './config-file.js';
import { resolveOptionsWithWarnings } from './resolve.js';

const dir = mkdtempSync(join(tmpdir(), 'loadts-config-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadConfigFile', () => {
  it('reads YAML (.yaml and .yml)', async () => {
    const yaml = `
vus: 3
duration: 10s
thresholds:
  http_req_duration: ["p(95)<100"]
  checks:
    - threshold: rate>0.9
      abortOnFail: true
      delayAbortEval: 10s
scenarios:
  api:
    executor: constant-arrival-rate
    rate: 5
    duration: 1m
    preAllocatedVUs: 2
tags:
  team: qa
`;
    const want = {
      vus: 3,
      duration: '10s',
      thresholds: { http_req_duration: ['p(95)<100'], checks: [{ threshold: 'rate>0.9', abortOnFail: true, delayAbortEval: '10s' }] },
      scenarios: { api: { executor: 'constant-arrival-rate', rate: 5, duration: '1m', preAllocatedVUs: 2 } },
      tags: { team: 'qa' },
    };
    expect(await loadConfigFile(file('c.yaml', yaml))).toEqual(want);
    expect(await loadConfigFile(file('c.yml', yaml))).toEqual(want);
  });

  it('reads JSON, and any other extension as JSON (as k6 does)', async () => {
    expect(await loadConfigFile(file('c.json', '{"vus": 2, "iterations": 5}'))).toEqual({ vus: 2, iterations: 5 });
    expect(await loadConfigFile(file('k6.conf', '\uFEFF{"duration": "1m"}'))).toEqual({ duration: '1m' });
  });

  it('unwraps a file whose only key is "options"', async () => {
    expect(await loadConfigFile(file('w.json', '{"options": {"iterations": 5}}'))).toEqual({ iterations: 5 });
    expect(await loadConfigFile(file('w.yaml', 'options:\n  vus: 2\n'))).toEqual({ vus: 2 });
  });

  it('treats an empty file as no options', async () => {
    expect(await loadConfigFile(file('empty.yaml', ''))).toEqual({});
    expect(await loadConfigFile(file('empty.json', '  \n'))).toEqual({});
    expect(await loadConfigFile(file('comment.yaml', '# nothing yet\n'))).toEqual({});
  });

  it('gives file:line:column for YAML syntax errors', async () => {
    const path = file('bad.yaml', 'vus: 3\nduration: [10s\n');
    await expect(loadConfigFile(path)).rejects.toThrow(new RegExp(`^invalid YAML in config file ${path.replace(/[.\\/]/g, '\\$&')}:\\d+:\\d+: \\S`));
    await expect(loadConfigFile(file('dup.yaml', 'vus: 1\nvus: 2\n'))).rejects.toThrow(/dup\.yaml:2:1: Map keys must be unique/);
  });

  it('gives file:line:column for JSON syntax errors', async () => {
    const path = file('bad.json', '{\n  "vus": 3,\n  "duration": 10s\n}\n');
    await expect(loadConfigFile(path)).rejects.toThrow(/invalid JSON in config file .*bad\.json:3:17: Expected/);
    await expect(loadConfigFile(path)).rejects.toMatchObject({ code: 'CONFIG_FILE', exitCode: 104 });
  });

  it('rejects a file that is not an object of options', async () => {
    await expect(loadConfigFile(file('list.yaml', '- 1\n- 2\n'))).rejects.toThrow(/list\.yaml must hold an object of options, got a list/);
    await expect(loadConfigFile(file('num.json', '42'))).rejects.toThrow(/num\.json must hold an object of options, got a number/);
    await expect(loadConfigFile(file('opt.json', '{"options": 3}'))).rejects.toThrow(/"options" must be an object/);
  });

  it('says why a file cannot be read', async () => {
    await expect(loadConfigFile(join(dir, 'missing.json'))).rejects.toThrow(/^cannot read config file .*missing\.json: no such file \(ENOENT\)$/);
    mkdirSync(join(dir, 'adir.json'));
    await expect(loadConfigFile(join(dir, 'adir.json'))).rejects.toThrow(/adir\.json: it is a directory \(EISDIR\)/);
  });

  it("passes k6's other config keys through; resolution warns they are unsupported", async () => {
    const options = await loadConfigFile(file('k6.json', '{"vus": 2, "duration": "1s", "out": ["json=x"], "collectors": {}}'));
    const { warnings } = resolveOptionsWithWarnings([{ source: 'config file k6.json', options }]);
    expect(warnings).toEqual([
      'option out (config file k6.json) is a k6 option loadts does not support; it is ignored',
      'option collectors (config file k6.json) is a k6 option loadts does not support; it is ignored',
    ]);
  });
});
