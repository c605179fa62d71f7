// setup() runs once; what it returns reaches every VU as `data`. teardown(data) runs at the end.
//   npx loadts run examples/setup-data.ts
import http from 'loadts/http';
import { check } from 'loadts';

interface Data {
  token: string;
  userIds: number[];
}

export const options = { vus: 3, iterations: 30 };

export async function setup(): Promise<Data> {
  const res = await http.post(`${__ENV.BASE_URL}/post`, JSON.stringify({ user: 'load', pass: 'test' }), {
    headers: { 'Content-Type': 'application/json' },
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return { token: 'token-from-setup', userIds: [1, 2, 3, 4, 5] };
}

export default async function (data: Data) {
  const id = data.userIds[__ITER % data.userIds.length];
  const res = await http.get(`${__ENV.BASE_URL}/get?user=${id}`, {
    headers: { Authorization: `Bearer ${data.token}` },
    tags: { name: '/get?user' },
  });
  check(res, {
    'authorised': (r) => r.status === 200,
    'sent the token': (r) => (r.json('headers.Authorization') ?? r.json('headers.authorization')) === `Bearer ${data.token}`,
  });
}

export async function teardown(data: Data) {
  console.log(`teardown: ${data.userIds.length} users used`);
}
