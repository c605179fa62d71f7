// Custom metrics: Counter, Gauge, Rate and Trend, created at module scope (once per worker thread).
//   npx loadts run examples/custom-metrics.ts
import http from 'loadts/http';
import { Counter, Gauge, Rate, Trend } from 'loadts/metrics';

const bytesSeen = new Counter('payload_bytes');
const lastSize = new Gauge('last_payload_size');
const bigPayloads = new Rate('big_payloads');
const serverTime = new Trend('server_time', true); // true: values are milliseconds

export const options = {
  vus: 4,
  iterations: 200,
  thresholds: {
    big_payloads: ['rate<0.6'],
    server_time: ['p(95)<100'],
    payload_bytes: ['count>10000'],
  },
};

export default async function () {
  const n = 100 + Math.floor(Math.random() * 1900);
  const res = await http.get(`${__ENV.BASE_URL}/bytes/${n}`);
  const size = res.body ? String(res.body).length : 0;
  bytesSeen.add(size, { kind: 'bytes' });
  lastSize.add(size);
  bigPayloads.add(size > 1000);
  serverTime.add(res.timings.waiting);
}
