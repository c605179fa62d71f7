// Max-throughput probe: every VU GETs BASE_URL + PATH back to back.
import http from 'loadts/http';
export default async function () {
  await http.get(`${__ENV.BASE_URL}${__ENV.PATH_SUFFIX ?? '/'}`);
}
