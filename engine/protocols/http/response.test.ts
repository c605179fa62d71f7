import { describe, expect, it } from 'vitest';
import { zeroTimings } from './timings.js';
import { canonicalHeader, HttpResponse, RequestInfo } from './response.js';
import { parseSelector, selectJson } from './json-selector.js';

const info = new RequestInfo('POST', 'http://x/', { 'content-type': 'text/plain', 'x-a-b': '1' }, Buffer.from([0x68, 0xe9]));

function response(body: string | ArrayBuffer | null, headers: Record<string, string | string[]> = {}): HttpResponse {
  const res = new HttpResponse('http://x/', zeroTimings(), info, headers);
  res.body = body;
  return res;
}

describe('canonical header names (Go/k6 form)', () => {
  it.each([
    ['content-type', 'Content-Type'],
    ['x-request-id', 'X-Request-Id'],
    ['WWW-AUTHENTICATE', 'Www-Authenticate'],
    ['etag', 'Etag'],
  ])('%s → %s', (name, want) => expect(canonicalHeader(name)).toBe(want));

  it('repeated headers are joined by ", "', () => {
    expect(response('', { 'set-cookie': ['a=1', 'b=2'], vary: 'x' }).headers).toEqual({ 'Set-Cookie': 'a=1, b=2', Vary: 'x' });
  });
});

describe('json selectors (gjson subset)', () => {
  const doc = { a: { 'b.c': 1, list: [{ id: 7, tags: ['x'] }, { id: 8 }] }, n: null };
  it.each([
    ['a.list.0.id', 7],
    ['a.list[1].id', 8],
    ["a['b.c']", 1],
    ['a.b\\.c', 1],
    ['a.list.#', 2],
    ['a.list.#.id', [7, 8]],
    ['a.list.0.tags.0', 'x'],
    ['a.list.5', undefined],
    ['a.missing.deeper', undefined],
    ['n', null],
    ['n.x', undefined],
    ['a.list.x', undefined],
    ['a.toString', undefined],
  ])('%s', (sel, want) => expect(selectJson(doc, sel)).toEqual(want));

  it('compiled selectors are cached', () => {
    expect(parseSelector('a.b')).toBe(parseSelector('a.b'));
  });

  it('an unclosed bracket is a clear error', () => {
    expect(() => selectJson(doc, 'a[0')).toThrow(/invalid JSON selector "a\[0": missing \]/);
  });
});

describe('HttpResponse', () => {
  it('json() parses text and binary bodies once', () => {
    const res = response('{"a":[1,2]}');
    expect(res.json()).toBe(res.json());
    expect(res.json('a.1')).toBe(2);
    expect(response(new TextEncoder().encode('{"z":true}').buffer as ArrayBuffer).json('z')).toBe(true);
  });

  it('json() on a missing body names the cause', () => {
    const failed = response(null);
    failed.error = 'dial: connection refused';
    expect(() => failed.json()).toThrow(/has no body \(dial: connection refused\)/);
  });

  it('cookies from Set-Cookie', () => {
    const res = response('', { 'set-cookie': ['sid=abc; Path=/; HttpOnly; Max-Age=60', 'theme=dark; Secure; Domain=example.com; Expires=Wed, 21 Oct 2037 07:28:00 GMT'] });
    expect(res.cookies.sid).toEqual([{ name: 'sid', value: 'abc', domain: '', path: '/', http_only: true, secure: false, max_age: 60, expires: 0 }]);
    expect(res.cookies.theme![0]).toMatchObject({ secure: true, domain: 'example.com', expires: Date.UTC(2037, 9, 21, 7, 28) });
  });

  it('request info: canonical headers, body bytes as latin1 text; toJSON includes the lazy fields', () => {
    expect(info.headers).toEqual({ 'Content-Type': 'text/plain', 'X-A-B': '1' });
    expect(info.body).toBe('h\u00e9');
    const json = JSON.parse(JSON.stringify(response('b', { 'content-type': 'text/plain' })));
    expect(json.headers).toEqual({ 'Content-Type': 'text/plain' });
    expect(json.request.method).toBe('POST');
    expect(json.body).toBe('b');
  });
});
