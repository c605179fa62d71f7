import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, loadts, readJson } from './helpers.js';

/** jslib k6-utils' stage helpers and async check through the built CLI, in a ramping scenario. */
describe('jslib k6-utils stage helpers (loadts run)', () => {
  it('tags samples with the stage index and profile, and check() awaits Promises', async () => {
    const dir = fixtureDir({
      'script.js': [
        "import http from 'k6/http';",
        "import { sleep } from 'k6';",
        "import { check, getCurrentStageIndex, tagWithCurrentStageIndex, tagWithCurrentStageProfile } from 'https://jslib.k6.io/k6-utils/1.6.0/index.js';",
        'export const options = {',
        "  stages: [{ duration: '1s', target: 2 }, { duration: '600ms', target: 2 }],",
        '  thresholds: {',
        "    'http_reqs{stage_profile:ramp-up}': ['count>0'], 'http_reqs{stage_profile:steady}': ['count>0'],",
        "    'http_reqs{stage:0}': ['count>0'], 'http_reqs{stage:1}': ['count>0'], checks: ['rate==1'],",
        '  },',
        '};',
        'export default async function () {',
        '  tagWithCurrentStageIndex();',
        '  tagWithCurrentStageProfile();',
        '  const index = getCurrentStageIndex();',
        '  const res = await http.get(`${__ENV.BASE_URL}/get`);',
        "  await check(res, { 'async check': async (r) => r.status === 200, 'stage index': () => index === 0 || index === 1 });",
        '  await sleep(0.1);',
        '}',
      ].join('\n'),
    });
    const out = join(dir, 'summary.json');
    const r = await loadts(['run', '-q', '--no-summary', '--summary-export', out, join(dir, 'script.js')], { env: { LOADTS_NO_REMOTE_MODULES: '1' } });
    expect(r.code, r.stderr).toBe(0);
    const s = readJson(out);
    expect(s.metrics['http_reqs{stage_profile:ramp-up}'].count).toBeGreaterThan(0);
    expect(s.metrics['http_reqs{stage_profile:steady}'].count).toBeGreaterThan(0);
  });
});
