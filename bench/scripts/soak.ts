// Soak: constant-arrival-rate at RATE/s for DURATION, one GET of the target's 3-byte `/`.
import http from 'loadts/http';
export const options = {
  scenarios: {
    soak: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE ?? 2000),
      timeUnit: '1s',
      duration: __ENV.DURATION ?? '30m',
      preAllocatedVUs: 100,
      maxVUs: 1000,
    },
  },
};
export default async function () {
  await http.get(`${__ENV.BASE_URL}/`);
}
