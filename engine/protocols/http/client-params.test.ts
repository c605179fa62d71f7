import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { vuClients } from '../../../test/vu-http-fixture.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TagSet } from '../../metrics/tags.js';
import { startDemoTarget, type DemoTarget } from '../../target/server.js';
import { FileData } from './client.js';

const BASE = TagSet.EMPTY;
const { vu, closeAll } = vuClients();

let target: DemoTarget;
/** A raw server: what arrived on the wire (headers and body bytes). */
let raw: Server;
let rawUrl = '';
const arrived: Array<{ headers: IncomingMessage['headers']; body: Buffer }> = [];

beforeAll(async () => {
  target = await startDemoTarget();
  raw = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      arrived.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
  rawUrl = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await closeAll();
  arrived.length = 0;
});
afterAll(async () => {
  raw.closeAllConnections();
  raw.close();
  await target.close();
});

describe('VuHttp: multipart bodies with http.file()', () => {
  it('an object with files is multipart/form-data, parsed by the demo target into form and files', async () => {
    const { http } = vu();
    const bytes = new Uint8Array([104, 105, 0, 255]);
    const res = await http.request('POST', `${target.url}/post`, { name: 'ann', notes: new FileData('line 1\nline 2', 'notes.txt', 'text/plain'), blob: new FileData(bytes, 'b.bin') }, undefined, BASE);
    expect(res.status).toBe(200);
    expect(res.json('form')).toEqual({ name: 'ann' });
    expect(res.json('files')).toEqual({ notes: 'line 1\nline 2', blob: `data:application/octet-stream;base64,${Buffer.from(bytes).toString('base64')}` });
    expect(res.request.headers['Content-Type']).toMatch(/^multipart\/form-data; boundary=[0-9a-f]{60}$/);
    const plain = await http.request('POST', `${target.url}/post`, { name: 'ann' }, undefined, BASE);
    expect(plain.json('form')).toEqual({ name: 'ann' });
    expect(plain.json('headers.Content-Type')).toBe('application/x-www-form-urlencoded');
  });
});

describe('VuHttp: request compression', () => {
  it('compression gzips the body and sets Content-Encoding; the demo target decodes it; data_sent counts the compressed bytes', async () => {
    const { http, samples } = vu();
    const text = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: 'item' })) });
    const res = await http.request('POST', `${target.url}/post`, text, { compression: 'gzip', headers: { 'Content-Type': 'application/json' } }, BASE);
    expect(res.json('json.items.#')).toBe(200);
    expect(res.json('headers.Content-Encoding')).toBe('gzip');
    const wire = Number(res.json('headers.Content-Length'));
    expect(wire).toBeLessThan(text.length / 5);
    expect(samples[0]!.bytesSent).toBeLessThan(wire + 400);
    const multi = await http.request('POST', `${target.url}/post`, text, { compression: 'deflate, br', headers: { 'Content-Type': 'application/json' } }, BASE);
    expect(multi.json('headers.Content-Encoding')).toBe('deflate, br');
    expect(multi.json('json.items.1.id')).toBe(1);
  });

  it('the bytes on the wire are the compressed body; a Content-Encoding the script set is kept; no body, no header', async () => {
    const { http } = vu();
    await http.request('POST', rawUrl, 'hello hello hello', { compression: 'gzip' }, BASE);
    expect(arrived[0]!.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(arrived[0]!.body).toString()).toBe('hello hello hello');
    await http.request('POST', rawUrl, 'x', { compression: 'gzip', headers: { 'Content-Encoding': 'custom' } }, BASE);
    expect(arrived[1]!.headers['content-encoding']).toBe('custom');
    await http.request('GET', rawUrl, undefined, { compression: 'gzip' }, BASE);
    expect(arrived[2]!.headers['content-encoding']).toBeUndefined();
  });
});

describe('VuHttp: digest auth', () => {
  it("auth: 'digest' answers the 401 challenge once, as k6: two samples, the 401 expected; credentials from the URL", async () => {
    const { http, samples } = vu();
    const url = `http://bob:pa%24s@127.0.0.1:${target.port}/digest-auth/auth/bob/pa$s`;
    const res = await http.request('GET', url, undefined, { auth: 'digest' }, BASE);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ authenticated: true, user: 'bob' });
    expect(samples.map((s) => [s.tags.get('status'), s.tags.get('expected_response'), s.failed])).toEqual([
      ['401', 'true', false],
      ['200', 'true', false],
    ]);
    expect(samples[0]!.tags.get('url')).toBe(`http://****:****@127.0.0.1:${target.port}/digest-auth/auth/bob/pa$s`);
    expect(res.request.headers.Authorization).toBeUndefined(); // the first request goes without credentials
  });

  it('SHA-256 and auth-int (a body); wrong credentials end at the 401; no challenge, no retry', async () => {
    const { http, samples } = vu();
    const sha = await http.request('POST', `http://u:p@127.0.0.1:${target.port}/digest-auth/auth-int/u/p/SHA-256`, 'payload', { auth: 'digest' }, BASE);
    expect(sha.status).toBe(200);
    const wrong = await http.request('GET', `http://u:bad@127.0.0.1:${target.port}/digest-auth/auth/u/p`, undefined, { auth: 'digest' }, BASE);
    expect(wrong.status).toBe(401);
    expect(wrong.error_code).toBe(1401);
    samples.length = 0;
    const plain = await http.request('GET', `http://u:p@127.0.0.1:${target.port}/get`, undefined, { auth: 'digest' }, BASE);
    expect(plain.status).toBe(200);
    expect(plain.json('headers.Authorization')).toBeUndefined(); // digest never sends Basic
    expect(samples).toHaveLength(1);
  });
});

describe('VuHttp: responses', () => {
  it("responseType 'binary' is an ArrayBuffer with the exact bytes (decompressed), status_text and proto set", async () => {
    const { http } = vu();
    const res = await http.request('GET', `${target.url}/bytes/300`, undefined, { responseType: 'binary' }, BASE);
    expect(res.body).toBeInstanceOf(ArrayBuffer);
    const bytes = new Uint8Array(res.body as ArrayBuffer);
    expect(bytes.length).toBe(300);
    expect(String.fromCharCode(...bytes.subarray(0, 28))).toBe('abcdefghijklmnopqrstuvwxyzab');
    const gz = await http.request('GET', `${target.url}/gzip`, undefined, { responseType: 'binary' }, BASE);
    expect(JSON.parse(Buffer.from(gz.body as ArrayBuffer).toString()).slideshow.author).toBe('loadts');
    const nf = await http.request('GET', `${target.url}/status/418`, undefined, undefined, BASE);
    expect(nf.status_text).toBe("418 I'm a Teapot");
    expect(nf.proto).toBe('HTTP/1.1');
  });

  it('res.request: method, url, headers, body and cookies, also in JSON', async () => {
    const { http } = vu();
    const res = await http.request('POST', `${target.url}/post`, 'a=1', { headers: { 'X-Test': 'yes' }, cookies: { c: '1' } }, BASE);
    const req = JSON.parse(JSON.stringify(res)).request;
    expect(req).toEqual({
      method: 'POST',
      url: `${target.url}/post`,
      headers: { 'User-Agent': 'loadts-test', 'X-Test': 'yes', Cookie: 'c=1' },
      body: 'a=1',
      cookies: { c: [{ name: 'c', value: '1', replace: false }] },
    });
  });
});
