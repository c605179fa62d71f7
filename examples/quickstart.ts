// The first test to run: `npm install && npx loadts run examples/quickstart.ts`.
// With no BASE_URL set, loadts starts its embedded demo target and points BASE_URL at it.
import http from 'loadts/http';
import { check, group, sleep, type Options } from 'loadts';

export const options: Options = {
  vus: 10,
  duration: '5s',
  thresholds: {
    http_req_duration: ['p(95)<200'],
    'http_req_duration{expected_response:true}': ['med<50'],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
  },
};

export default async function () {
  await group('browse', async () => {
    const res = await http.get(`${__ENV.BASE_URL}/get?page=home`);
    check(res, {
      'status is 200': (r) => r.status === 200,
      'echoes the query': (r) => (r.json('args.page') as string) === 'home',
    });
  });

  await group('api', async () => {
    const res = await http.post(`${__ENV.BASE_URL}/post`, JSON.stringify({ item: __VU }), {
      headers: { 'Content-Type': 'application/json' },
    });
    check(res, { 'post is 200': (r) => r.status === 200 });
    await http.get(`${__ENV.BASE_URL}/delay/20`, { tags: { name: 'slow endpoint' } });
  });

  await sleep(0.1);
}
