// The test the fleet runs: this file becomes the ConfigMap loadts-script (kustomization.yaml),
// mounted at /scripts in the coordinator's pod and every instance's. Replace it with yours.
import http from 'k6/http';
import { check, sleep } from 'k6';

export const options = {
  scenarios: {
    load: { executor: 'constant-arrival-rate', rate: 300, timeUnit: '1s', duration: '2m', preAllocatedVUs: 60, maxVUs: 300 },
  },
  thresholds: {
    http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '10s' }],
    http_req_duration: ['p(95)<300', 'p(99)<800'],
  },
};

export default async function () {
  const res = await http.get(`${__ENV.BASE_URL}/`);
  check(res, { 'status is 200': (r) => r.status === 200 });
  await sleep(0.1);
}
