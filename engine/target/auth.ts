/** The demo target's auth endpoints: /basic-auth, /digest-auth (httpbin's), and /login with /me (a session cookie or a bearer token). */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { digestResponse, parseDigestAuthorization, type DigestAlgorithm } from '../protocols/http/digest-auth.js';
import { parseCookies } from './httpbin-forms.js';
import { readBody, sendJson, status } from './respond.js';

/** /basic-auth/:user/:pass: 200 with matching Basic credentials, else a 401 challenge. */
export function basicAuth(req: IncomingMessage, res: ServerResponse, user: string, pass: string): void {
  const want = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  if (req.headers.authorization === want) return sendJson(res, 200, { authenticated: true, user });
  status(res, 401, { 'www-authenticate': 'Basic realm="loadts"' });
}

/** Signs digest nonces so that any nonce this target issued verifies without server-side state. */
const NONCE_KEY = randomBytes(32);
const DIGEST_REALM = 'loadts demo';

function nonce(): string {
  const stamp = Date.now().toString(36);
  return `${stamp}.${createHmac('sha256', NONCE_KEY).update(stamp).digest('base64url')}`;
}

function nonceValid(n: string | undefined): boolean {
  if (n === undefined) return false;
  const [stamp, mac] = n.split('.');
  if (stamp === undefined || mac === undefined) return false;
  const want = createHmac('sha256', NONCE_KEY).update(stamp).digest();
  const got = Buffer.from(mac, 'base64url');
  return got.length === want.length && timingSafeEqual(got, want);
}

/** httpbin's /digest-auth/:qop/:user/:pass[/:algorithm]: 200 when the Authorization answers a challenge of ours. */
export async function digestAuth(req: IncomingMessage, res: ServerResponse, parts: string[]): Promise<void> {
  const [qopParam, user, pass, algoParam] = parts as [string, string, string, string | undefined];
  const algorithm: DigestAlgorithm = algoParam?.toUpperCase() === 'SHA-256' ? 'SHA-256' : 'MD5';
  const qop = qopParam === 'auth-int' ? 'auth-int' : 'auth';
  const body = await readBody(req);
  const a = parseDigestAuthorization(req.headers.authorization);
  if (a !== undefined && a.username === user && a.realm === DIGEST_REALM && a.uri === req.url && nonceValid(a.nonce) && (a.algorithm ?? 'MD5').toUpperCase() === algorithm) {
    const want = digestResponse({ realm: DIGEST_REALM, nonce: a.nonce!, algorithm }, { method: req.method ?? 'GET', uri: a.uri!, username: user, password: pass, body }, a.qop ?? '', a.cnonce ?? '', a.nc ?? '');
    if (a.response === want) return sendJson(res, 200, { authenticated: true, user });
  }
  status(res, 401, { 'www-authenticate': `Digest realm="${DIGEST_REALM}", qop="${qop}", nonce="${nonce()}", opaque="${randomBytes(8).toString('hex')}", algorithm=${algorithm}` });
}

/** Sessions and tokens of /login, so that /me can check either (bounded: a demo, not a store). */
export class Sessions {
  readonly #users = new Map<string, string>();

  create(user: string): string {
    if (this.#users.size >= 100_000) this.#users.clear();
    const id = randomBytes(12).toString('hex');
    this.#users.set(id, user);
    return id;
  }

  user(id: string | undefined): string | undefined {
    return id === undefined ? undefined : this.#users.get(id);
  }

  clear(): void {
    this.#users.clear();
  }
}

/** POST /login with { username, password } (JSON or form): any non-empty pair logs in. */
export async function login(req: IncomingMessage, res: ServerResponse, sessions: Sessions): Promise<void> {
  if (req.method !== 'POST') return sendJson(res, 405, { error: '/login expects POST' }, { allow: 'POST' });
  const text = (await readBody(req)).toString('utf8');
  let creds: { username?: unknown; password?: unknown } = {};
  try {
    creds = (req.headers['content-type'] ?? '').includes('json') ? (JSON.parse(text) as typeof creds) : Object.fromEntries(new URLSearchParams(text));
  } catch {
    return sendJson(res, 400, { error: 'invalid JSON body' });
  }
  if (typeof creds.username !== 'string' || creds.username === '' || typeof creds.password !== 'string' || creds.password === '') {
    return sendJson(res, 401, { error: 'username and password required' });
  }
  const id = sessions.create(creds.username);
  sendJson(res, 200, { token: id, user: creds.username }, { 'set-cookie': `session=${id}; Path=/; HttpOnly; SameSite=Lax` });
}

/** GET /me: the user of a session cookie or a bearer token from /login, else 401. */
export function me(req: IncomingMessage, res: ServerResponse, sessions: Sessions): void {
  const auth = req.headers.authorization;
  const bearer = auth?.startsWith('Bearer ') === true ? auth.slice(7) : undefined;
  const user = sessions.user(bearer) ?? sessions.user(parseCookies(req.headers.cookie).session);
  if (user === undefined) return sendJson(res, 401, { error: 'not logged in' }, { 'www-authenticate': 'Bearer realm="loadts"' });
  sendJson(res, 200, { user, via: sessions.user(bearer) !== undefined ? 'token' : 'cookie' });
}
