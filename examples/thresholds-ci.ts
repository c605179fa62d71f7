// Gate a CI job on service levels: loadts exits 99 when a threshold is crossed.
//   npx loadts run examples/thresholds-ci.ts --summary-export results.json; echo "exit $?"
import http from 'loadts/http';
import { check } from 'loadts';

export const options = {
  vus: 5,
  duration: '5s',
  thresholds: {
    // 95% of requests under 100 ms, and the slow endpoint's median under 150 ms
    http_req_duration: ['p(95)<100'],
    'http_req_duration{name:slow}': ['med<150'],
    // fewer than 1% errors; stop the run at once if more than 10% fail (after 2 s of data)
    http_req_failed: ['rate<0.01', { threshold: 'rate<0.10', abortOnFail: true, delayAbortEval: '2s' }],
    checks: ['rate>0.99'],
  },
};

export default async function () {
  const fast = await http.get(`${__ENV.BASE_URL}/json`);
  check(fast, { 'json ok': (r) => r.status === 200 });
  const slow = await http.get(`${__ENV.BASE_URL}/delay/30`, { tags: { name: 'slow' } });
  check(slow, { 'slow ok': (r) => r.status === 200 });
}
