// An authenticated API flow: log in (the server sets a session cookie and returns a token), then
// call the API with the cookie (the VU's cookie jar sends it), with the token, and with digest auth;
// upload a file. Against the demo target by default (its /login, /me, /digest-auth and /post).
//   npx loadts run examples/api-auth-flow.ts
import http from 'loadts/http';
import { check, group, sleep } from 'loadts';
import { Trend } from 'loadts/metrics';

const loginTime = new Trend('login_time', true);

export const options = {
  scenarios: {
    users: { executor: 'constant-vus', vus: 5, duration: '10s' },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:login}': ['p(95)<300'],
    'http_req_duration{name:me}': ['p(95)<200'],
    login_time: ['p(99)<500'],
    checks: ['rate>0.99'],
  },
};

const BASE = __ENV.BASE_URL ?? 'http://127.0.0.1:3333';

export default async function () {
  // Each iteration starts with an empty cookie jar (set noCookiesReset: true to keep it).
  let token = '';
  await group('login', async () => {
    const res = await http.post(`${BASE}/login`, JSON.stringify({ username: `user${__VU}`, password: 'secret' }), {
      headers: { 'Content-Type': 'application/json' },
      tags: { name: 'login' },
    });
    loginTime.add(res.timings.duration);
    token = String(res.json('token') ?? '');
    check(res, {
      'logged in': (r) => r.status === 200,
      'session cookie set': (r) => (r.cookies.session?.[0]?.http_only ?? false) && http.cookieJar().cookiesForURL(BASE).session !== undefined,
      'got a token': () => token !== '',
    });
  });

  await group('api', async () => {
    // The jar sends the session cookie by itself.
    const byCookie = await http.get(`${BASE}/me`, { tags: { name: 'me' } });
    check(byCookie, { 'cookie session works': (r) => r.status === 200 && r.json('via') === 'cookie' });

    // A bearer token instead, without the jar's cookies (an empty jar of its own).
    const byToken = await http.get(`${BASE}/me`, { headers: { Authorization: `Bearer ${token}` }, jar: new http.CookieJar(), tags: { name: 'me' } });
    check(byToken, { 'token works': (r) => r.status === 200 && r.json('via') === 'token' });

    // Digest auth: credentials in the URL; the 401 challenge is answered once, as k6 does.
    const u = new URL(BASE);
    const digest = await http.get(`${u.protocol}//user${__VU}:pw@${u.host}/digest-auth/auth/user${__VU}/pw`, { auth: 'digest', tags: { name: 'digest' } });
    check(digest, { 'digest auth works': (r) => r.status === 200 && r.json('authenticated') === true });

    // A multipart upload, gzip-compressed on the way out.
    const upload = await http.post(
      `${BASE}/post`,
      { title: 'report', file: http.file(JSON.stringify({ vu: __VU, iter: __ITER }), 'report.json', 'application/json') },
      { compression: 'gzip', tags: { name: 'upload' } },
    );
    check(upload, { 'upload arrived': (r) => r.status === 200 && r.json('form.title') === 'report' && String(r.json('files.file')).includes('"vu"') });
  });

  // Logging out is the server's business; dropping the cookie is ours.
  http.cookieJar().clear(BASE);
  const after = await http.get(`${BASE}/me`, { tags: { name: 'me' }, responseCallback: http.expectedStatuses(401) });
  check(after, { 'signed out': (r) => r.status === 401 });
  await sleep(0.2);
}
