// The load behind the report sizes in docs/dashboard.md: four ramping stages and a plateau over
// DURATION seconds, a check, a group, a custom trend and counter (what a real script has).
//   DURATION=60 VUS=20 npx loadts run --out record=run.json --out report=report.html bench/dashboard/report-load.ts
import http from 'loadts/http';
import { check, group, sleep } from 'loadts';
import { Counter, Trend } from 'loadts/metrics';

const seconds = Number(__ENV.DURATION ?? 60);
const vus = Number(__ENV.VUS ?? 20);
const step = `${Math.round(seconds / 5)}s`;
const cartValue = new Trend('cart_value');
const orders = new Counter('orders');

export const options = {
  stages: [
    { duration: step, target: Math.round(vus / 4) },
    { duration: step, target: Math.round(vus / 2) },
    { duration: step, target: vus },
    { duration: step, target: vus },
    { duration: step, target: 0 },
  ],
  thresholds: { http_req_duration: ['p(95)<500'], checks: ['rate>0.99'] },
};

export default async function () {
  await group('browse', async () => {
    const res = await http.get(`${__ENV.BASE_URL}/delay/${10 + Math.floor(Math.random() * 20)}`, { tags: { name: '/delay/:ms' } });
    check(res, { 'status is 200': (r) => r.status === 200 });
  });
  cartValue.add(10 + Math.random() * 90);
  orders.add(1);
  await sleep(0.5);
}
