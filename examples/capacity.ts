// loadts capacity examples/capacity.ts --slo 'http_req_duration: p(95)<200' --slo 'http_req_failed: rate<0.01'
// Against the demo target's /capacity endpoint: 2 workers × 20 ms per request, a capacity of exactly 100 requests/s.
import http from 'loadts/http';

export default async function () {
  await http.get(`${__ENV.BASE_URL}/capacity?workers=2&ms=20`);
}
