import { describe, expect, it } from 'vitest';
import { RUN_FLAGS, SERVE_DEFAULTS } from './args.js';
import { helpText } from './help.js';

describe('helpText', () => {
  it('gives an overview of the commands', () => {
    const main = helpText();
    for (const c of ['loadts run', 'loadts inspect', 'loadts serve', 'loadts version', 'loadts help']) expect(main).toContain(c);
    expect(helpText('nonsense')).toBe(main);
  });

  it('lists every run flag with its shorthand and value', () => {
    const text = helpText('run');
    for (const f of RUN_FLAGS) {
      const line = text.split('\n').find((l) => l.includes(`--${f.name}${f.value ? ` ${f.value}` : ''} `));
      expect(line, `--${f.name}`).toBeDefined();
      if (f.short) expect(line).toContain(`-${f.short}, --${f.name}`);
      expect(line).toContain(f.help);
    }
    expect(text).toMatch(/^Usage: loadts run \[flags\] script\.ts/);
    expect(text).toMatch(/LOADTS_\* \(or k6's K6_\*\)/);
    expect(text).toMatch(/99 thresholds crossed, 104 invalid options or flags/);
  });

  it('explains inspect, serve and version', () => {
    expect(helpText('inspect')).toMatch(/^Usage: loadts inspect \[flags\] script\.ts/);
    expect(helpText('inspect')).toContain('No load is sent');
    expect(helpText('serve')).toContain(`default ${SERVE_DEFAULTS.port}`);
    expect(helpText('serve')).toContain(`-e BASE_URL=http://${SERVE_DEFAULTS.host}:${SERVE_DEFAULTS.port}`);
    expect(helpText('version')).toContain('loadts --version');
  });

  it('keeps lines within 120 columns', () => {
    for (const topic of [undefined, 'run', 'inspect', 'serve', 'version']) {
      for (const line of helpText(topic).split('\n')) expect(line.length, line).toBeLessThanOrEqual(120);
    }
  });
});
