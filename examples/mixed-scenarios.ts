// Closed and open load at once: browsing users (ramping VUs) and a steady checkout arrival rate.
// Both run on their own timelines; samples carry `scenario` (and `stage` for the ramp), so
// thresholds can target each. The summary ends with a per-stage table of the ramp.
//   npx loadts inspect examples/mixed-scenarios.ts   # the plans
//   npx loadts run examples/mixed-scenarios.ts
import http from 'loadts/http';
import { check, sleep } from 'loadts';

export const options = {
  scenarios: {
    browse: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: '3s', target: 20 },
        { duration: '3s', target: 40 },
        { duration: '2s', target: 0 },
      ],
      gracefulRampDown: '1s',
    },
    checkout: {
      executor: 'constant-arrival-rate',
      rate: 50,
      timeUnit: '1s',
      duration: '6s',
      preAllocatedVUs: 10,
      maxVUs: 50,
      startTime: '1s',
      exec: 'checkout',
      tags: { flow: 'checkout' },
    },
  },
  thresholds: {
    'http_req_duration{scenario:browse}': ['p(95)<300'],
    'http_req_duration{scenario:checkout}': ['p(99)<500'],
    'http_req_duration{stage:1}': ['p(95)<300'],
    dropped_iterations: ['count<10'],
  },
};

export default async function () {
  const res = await http.get(`${__ENV.BASE_URL}/delay/${5 + Math.floor(Math.random() * 20)}`, { tags: { name: '/delay/:ms' } });
  check(res, { 'page ok': (r) => r.status === 200 });
  await sleep(0.1);
}

export async function checkout() {
  const res = await http.post(`${__ENV.BASE_URL}/post`, JSON.stringify({ cart: [1, 2, 3] }), {
    headers: { 'Content-Type': 'application/json' },
  });
  check(res, { 'order placed': (r) => r.status === 200 });
}
