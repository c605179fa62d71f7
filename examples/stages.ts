// Ramp VUs up and down with stages (a ramping-vus scenario). Samples are tagged with the stage
// index, so thresholds can target one stage.
//   npx loadts run examples/stages.ts
import http from 'loadts/http';
import { sleep } from 'loadts';

export const options = {
  stages: [
    { duration: '3s', target: 20 }, // ramp up
    { duration: '4s', target: 20 }, // hold
    { duration: '2s', target: 0 }, // ramp down
  ],
  thresholds: {
    'http_req_duration{stage:1}': ['p(99)<250'], // at full load
  },
};

export default async function () {
  await http.get(`${__ENV.BASE_URL}/delay/${10 + Math.floor(Math.random() * 20)}`, { tags: { name: '/delay/:ms' } });
  await sleep(0.2);
}
