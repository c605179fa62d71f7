import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { vuClients } from '../../../test/vu-http-fixture.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TagSet } from '../../metrics/tags.js';
import { startDemoTarget, type DemoTarget } from '../../target/server.js';
import { CookieJar, VuHttp, type HttpClientConfig } from './client.js';

const BASE = TagSet.EMPTY;
const clients = vuClients();
const vu = (config: Partial<HttpClientConfig> = {}): VuHttp => clients.vu(config).http;

let target: DemoTarget;
/** A server that answers per path and records the Cookie header each request brought. */
let server: Server;
let port = 0;
const seen: Array<{ host: string; path: string; cookie: string | undefined }> = [];
const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {};

beforeAll(async () => {
  target = await startDemoTarget();
  server = createServer((req, res) => {
    seen.push({ host: String(req.headers.host).replace(/:\d+$/, ''), path: req.url ?? '', cookie: req.headers.cookie });
    const route = routes[(req.url ?? '').split('?')[0]!];
    if (route) route(req, res);
    else res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterEach(async () => {
  await clients.closeAll();
  seen.length = 0;
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await target.close();
});

describe('VuHttp: the cookie jar', () => {
  it('cookies set by a redirect reach the next hop and later requests; res.cookies is the final response’s', async () => {
    const http = vu();
    const res = await http.request('GET', `${target.url}/cookies/set?a=1&b=two`, undefined, undefined, BASE);
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${target.url}/cookies`);
    expect(res.json('cookies')).toEqual({ a: '1', b: 'two' });
    expect(res.cookies).toEqual({});
    expect(http.jar.cookiesForURL(target.url)).toEqual({ a: ['1'], b: ['two'] });
    const again = await http.request('GET', `${target.url}/cookies`, undefined, undefined, BASE);
    expect(again.json('cookies')).toEqual({ a: '1', b: 'two' });
    expect(again.request.cookies).toEqual({ a: [{ name: 'a', value: '1', replace: false }], b: [{ name: 'b', value: 'two', replace: false }] });
    const gone = await http.request('GET', `${target.url}/cookies/delete?a`, undefined, undefined, BASE);
    expect(gone.json('cookies')).toEqual({ b: 'two' });
  });

  it('with redirects: 0 the 302 is returned with its cookies, in k6’s shape, and the jar has them', async () => {
    const http = vu();
    const res = await http.request('GET', `${target.url}/cookies/set?k=v`, undefined, { redirects: 0 }, BASE);
    expect(res.status).toBe(302);
    expect(res.cookies).toEqual({ k: [{ name: 'k', value: 'v', domain: '', path: '/', http_only: false, secure: false, max_age: 0, expires: 0 }] });
    expect(http.jar.cookiesForURL(`${target.url}/anything`)).toEqual({ k: ['v'] });
  });

  it('across hosts: host-only cookies stay on their host, Domain cookies go to sibling hosts, paths and Secure are honoured', async () => {
    routes['/login'] = (_q, res) => {
      res.writeHead(302, {
        location: `http://api.app.test:${port}/data/list`,
        'set-cookie': ['host=www; Path=/', 'shared=all; Domain=app.test; Path=/', 'scoped=1; Domain=app.test; Path=/admin', 'tls=1; Domain=app.test; Secure'],
      });
      res.end();
    };
    const http = vu({ hosts: { 'www.app.test': `127.0.0.1:${port}`, 'api.app.test': `127.0.0.1:${port}` } });
    const res = await http.request('GET', `http://www.app.test:${port}/login`, undefined, undefined, BASE);
    expect(res.status).toBe(200);
    expect(seen.map((s) => [s.host, s.path, s.cookie])).toEqual([
      ['www.app.test', '/login', undefined],
      ['api.app.test', '/data/list', 'shared=all'],
    ]);
    seen.length = 0;
    await http.request('GET', `http://www.app.test:${port}/admin/x`, undefined, undefined, BASE);
    expect(seen[0]!.cookie).toBe('scoped=1; host=www; shared=all');
  });

  it('expired cookies are not sent: Max-Age=0 and past Expires delete', async () => {
    routes['/set'] = (_q, res) => {
      res.writeHead(200, { 'set-cookie': ['keep=1', 'short=1; Max-Age=1000', 'gone=1'] });
      res.end();
    };
    routes['/expire'] = (_q, res) => {
      res.writeHead(200, { 'set-cookie': ['short=; Max-Age=0', 'gone=; Expires=Thu, 01 Jan 1970 00:00:10 GMT'] });
      res.end();
    };
    const http = vu();
    const url = `http://127.0.0.1:${port}`;
    await http.request('GET', `${url}/set`, undefined, undefined, BASE);
    await http.request('GET', `${url}/expire`, undefined, undefined, BASE);
    await http.request('GET', `${url}/check`, undefined, undefined, BASE);
    expect(seen.map((s) => s.cookie)).toEqual([undefined, 'keep=1; short=1; gone=1', 'keep=1']);
  });

  it('params.cookies: sent with the request only; replace overrides the jar’s; a Cookie header the script set comes first', async () => {
    const http = vu();
    http.jar.set(target.url, 'session', 'from-jar');
    const res = await http.request('GET', `${target.url}/cookies`, undefined, { cookies: { extra: 'x', session: { value: 'mine', replace: true } }, headers: { Cookie: 'manual=1' } }, BASE);
    expect(res.json('cookies')).toEqual({ manual: '1', extra: 'x', session: 'mine' });
    expect(res.request.headers.Cookie).toBe('manual=1; extra=x; session=mine');
    expect(http.jar.cookiesForURL(target.url)).toEqual({ session: ['from-jar'] });
    const both = await http.request('GET', `${target.url}/headers`, undefined, { cookies: { session: 'mine' } }, BASE);
    expect(both.json('headers.Cookie')).toBe('session=mine; session=from-jar');
    // request cookies are re-sent on each redirect hop, with the jar's cookies for the new URL
    const hop = await http.request('GET', `${target.url}/cookies/set?k=v`, undefined, { cookies: { p: '1' } }, BASE);
    expect(hop.json('cookies')).toEqual({ p: '1', session: 'from-jar', k: 'v' });
  });

  it('params.jar: that jar is read and written instead of the VU’s; a jar passed to request() is the default', async () => {
    const http = vu();
    const own = new CookieJar();
    await http.request('GET', `${target.url}/cookies/set?x=1`, undefined, { jar: own }, BASE);
    expect(own.cookiesForURL(target.url)).toEqual({ x: ['1'] });
    expect(http.jar.size).toBe(0);
    const vuJar = new CookieJar();
    await http.request('GET', `${target.url}/cookies/set?y=2`, undefined, undefined, BASE, undefined, vuJar);
    expect(vuJar.cookiesForURL(target.url)).toEqual({ y: ['2'] });
    expect(http.jar.size).toBe(0);
  });
});
