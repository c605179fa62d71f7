// Memory per VU: every VU does one request, then sleeps 1 s, in a loop.
import http from 'loadts/http';
import { sleep } from 'loadts';
export default async function () {
  await http.get(`${__ENV.BASE_URL}/`);
  await sleep(1);
}
