import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { TagSet } from '../../metrics/tags.js';
import { VuHttp, type HttpClientConfig, type HttpSample } from './client.js';
import { recordInFlight } from './in-flight.js';

const CONFIG: HttpClientConfig = { userAgent: 'loadts-test/1.0', discardResponseBodies: false, noConnectionReuse: false, defaultTimeoutMs: 60_000, maxRedirects: 10, insecureSkipTLSVerify: false, hosts: {} };

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A server that reads requests, counts their heads, and never answers. */
async function silent(): Promise<{ url: string; heads: () => number }> {
  let heads = 0;
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('data', (d: Buffer) => (heads += d.toString('latin1').split('\r\n\r\n').length - 1));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, heads: () => heads };
}

it('recordInFlight(): a request on the wire is reported at once as failed, with the bytes it sent; one not yet sent is not a request; neither is reported again', async () => {
  const server = await silent();
  const samples: HttpSample[] = [];
  const http = new VuHttp(CONFIG, (s) => samples.push(s));
  cleanups.push(() => http.close());
  const tags = TagSet.EMPTY.with('scenario', 'default');
  const sent = http.request('GET', `${server.url}/sent`, undefined, undefined, tags);
  while (server.heads() < 1) await new Promise((r) => setTimeout(r, 5));
  const queued = http.request('GET', 'http://127.0.0.1:9/never', undefined, undefined, tags); // still dialing

  expect(recordInFlight()).toBe(2);
  expect(samples).toHaveLength(1); // synchronously: the thread may be gone at the next turn
  const [s] = samples;
  expect(s!.failed).toBe(true);
  expect(s!.bytesSent).toBeGreaterThan(0);
  expect(s!.tags.tags).toMatchObject({ url: `${server.url}/sent`, status: '0', error: 'request aborted: its worker thread was stopped', error_code: '1000' });

  const [a, b] = await Promise.all([sent, queued]);
  expect(a.error).toBe('request aborted: its worker thread was stopped');
  expect(b.error).toBe('request aborted: its worker thread was stopped');
  expect(samples).toHaveLength(1);
  expect(recordInFlight()).toBe(0);
});
