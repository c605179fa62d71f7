import { existsSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, loadts, testServer } from './helpers.js';

const SCRIPT = `
import http from 'loadts/http';
export const options = { vus: 1, iterations: 3 };
export default async function () { await http.get(__ENV.BASE_URL + '/'); }
`;

describe('web dashboard and report: the command line', () => {
  it('fails before any load, in one line, when the dashboard port is taken', async () => {
    const busy = await testServer((_req, res) => res.end('ok'));
    try {
      const port = new URL(busy.url).port;
      const dir = fixtureDir({ 'script.ts': SCRIPT });
      const r = await loadts(['run', '--out', `web-dashboard=port=${port}`, 'script.ts'], { cwd: dir, env: { BASE_URL: busy.url } });
      expect(r.code).toBe(104);
      expect(r.stderr).toMatch(new RegExp(`error: output web-dashboard \\(127\\.0\\.0\\.1:${port}\\): cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`));
      expect(r.stdout).not.toMatch(/TOTAL RESULTS/);
    } finally {
      await busy.close();
    }
  });

  it('with K6_WEB_DASHBOARD_PORT=-1 serves nothing and only writes the export (gzip for .gz)', async () => {
    const target = await testServer((_req, res) => res.end('ok'));
    try {
      const dir = fixtureDir({ 'script.ts': SCRIPT });
      const r = await loadts(['run', '--quiet', 'script.ts'], {
        cwd: dir,
        env: { BASE_URL: target.url, LOADTS_WEB_DASHBOARD: 'true', K6_WEB_DASHBOARD_PORT: '-1', K6_WEB_DASHBOARD_EXPORT: 'out/report.html.gz' },
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/web dashboard: http/);
      const bytes = readFileSync(join(dir, 'out/report.html.gz'));
      expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    } finally {
      await target.close();
    }
  });

  it('loadts report refuses a file that is not a run record, and --out report needs a file name', async () => {
    const dir = fixtureDir({ 'not-a-record.json': '{"hello":1}', 'script.ts': SCRIPT });
    const r = await loadts(['report', 'not-a-record.json', '-o', 'r.html'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not-a-record\.json is not a loadts run record/);
    expect(existsSync(join(dir, 'r.html'))).toBe(false);
    const out = await loadts(['run', '--out', 'report', 'script.ts'], { cwd: dir });
    expect(out.code).toBe(104);
    expect(out.stderr).toMatch(/--out report needs a file name/);
  });

  it('with wait=true keeps serving the final page while a browser is connected, then exits', async () => {
    const target = await testServer((_req, res) => res.end('ok'));
    try {
      const dir = fixtureDir({ 'script.ts': SCRIPT.replace('iterations: 3', "iterations: 3, duration: '2s'").replace("export default async function () {", 'export default async function () { await new Promise((r) => setTimeout(r, 400));') });
      let sawEnd = 0;
      let exitedAt = 0;
      let closeStream: (() => void) | undefined;
      let started = false;
      const run = loadts(['run', '--quiet', '--out', 'web-dashboard=port=0&period=1s&wait=true', 'script.ts'], {
        cwd: dir,
        env: { BASE_URL: target.url },
        onStdout: (text) => {
          const url = /web dashboard: (http:\/\/\S+)/.exec(text)?.[1];
          if (url === undefined || started) return;
          started = true;
          const req = get(`${url}/events`, (res) => {
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              if (sawEnd === 0 && chunk.includes('"type":"end"')) {
                sawEnd = Date.now();
                setTimeout(() => closeStream?.(), 1500);
              }
            });
          });
          req.on('error', () => {});
          closeStream = () => req.destroy();
        },
      });
      const r = await run;
      exitedAt = Date.now();
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/stays up until its browser tab closes/);
      expect(sawEnd).toBeGreaterThan(0);
      expect(exitedAt - sawEnd).toBeGreaterThanOrEqual(1400);
    } finally {
      await target.close();
    }
  });
});
