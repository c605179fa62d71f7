/** httpbin's cookie and redirect endpoints: /cookies[/set|/delete], /redirect/:n, /redirect-to. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseCookies } from './httpbin-forms.js';
import { int, MAX_REDIRECTS, sendJson, status } from './respond.js';

/** A 302 to /cookies, setting these cookies (if any). */
function toCookies(res: ServerResponse, cookies: string[]): void {
  status(res, 302, cookies.length > 0 ? { location: '/cookies', 'set-cookie': cookies } : { location: '/cookies' });
}

/** /cookies: the client's cookies as JSON; /cookies/set?k=v and /cookies/delete?k set or expire them, then redirect there. False for other sub-paths. */
export function cookies(req: IncomingMessage, res: ServerResponse, url: URL, arg: string | undefined): void | false {
  if (arg === 'set') return toCookies(res, [...url.searchParams].map(([k, v]) => `${k}=${v}; Path=/`));
  if (arg === 'delete') return toCookies(res, [...url.searchParams.keys()].map((k) => `${k}=; Path=/; Max-Age=0`));
  if (arg !== undefined) return false;
  sendJson(res, 200, { cookies: parseCookies(req.headers.cookie) });
}

/** /redirect/:n: n chained 302s, then /get. */
export function redirect(res: ServerResponse, arg: string): void {
  const n = int(arg, 1, MAX_REDIRECTS);
  status(res, 302, { location: n <= 1 ? '/get' : `/redirect/${n - 1}` });
}

/** /redirect-to?url=&status_code=: one redirect to url (302, or the given 3xx). */
export function redirectTo(res: ServerResponse, url: URL): void {
  const to = url.searchParams.get('url');
  const code = int(url.searchParams.get('status_code'), 302, 399);
  if (to === null) return sendJson(res, 400, { error: '/redirect-to needs ?url=' });
  status(res, code >= 300 ? code : 302, { location: to });
}
