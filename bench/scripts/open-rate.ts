// Open-model precision: constant-arrival-rate at RATE/s for DURATION against a 5 ms endpoint.
import http from 'loadts/http';
export const options = {
  scenarios: {
    open: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE ?? 10000),
      timeUnit: '1s',
      duration: __ENV.DURATION ?? '10s',
      preAllocatedVUs: 200,
      maxVUs: 2000,
    },
  },
};
export default async function () {
  await http.get(`${__ENV.BASE_URL}/delay/5`);
}
