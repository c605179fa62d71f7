import { describe, expect, it } from 'vitest';
import { isLoopback, startRestApi, type RestControl } from './rest-api.js';

const control: RestControl = {
  status: () => ({ running: true, paused: false, stopped: false, vus: 1, vusMax: 1, tainted: false }),
  patch: () => undefined,
  metrics: () => [],
};

describe('the REST API binds to loopback', () => {
  it('with no host in --address it listens on 127.0.0.1, without a warning', async () => {
    const api = await startRestApi(':0', control);
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(api.warning).toBeUndefined();
    const res = await fetch(`${api.url}/v1/status`);
    expect(res.status).toBe(200);
    await api.close();
  });

  it('beyond loopback it warns that anyone who reaches it can stop the test', async () => {
    const api = await startRestApi('0.0.0.0:0', control);
    expect(api.warning).toMatch(/beyond this machine's loopback, without authentication/);
    await api.close();
  });

  it('knows loopback names and addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) expect(isLoopback(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '128.0.0.1']) expect(isLoopback(h)).toBe(false);
  });
});
