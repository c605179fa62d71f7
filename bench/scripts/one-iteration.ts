// Start-up cost: one VU, one iteration, one request.
import http from 'loadts/http';
export const options = { vus: 1, iterations: 1 };
export default async function () {
  await http.get(`${__ENV.BASE_URL}/`);
}
