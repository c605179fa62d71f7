import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { warmUpServer } from './warmup.js';

describe('warmUpServer', () => {
  it('answers each request head once, also when a head ends across reads or two arrive in one', async () => {
    const server = await warmUpServer();
    const { port } = new URL(server.url);
    const socket = connect({ port: Number(port), host: '127.0.0.1' });
    socket.setNoDelay(true);
    let received = '';
    socket.on('data', (d) => (received += d.toString('latin1')));
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const pause = () => new Promise((r) => setTimeout(r, 20));
    socket.write('GET /warm-up HTTP/1.1\r\nhost: x\r\n\r');
    await pause();
    socket.write('\n');
    await pause();
    socket.write('GET /warm-up HTTP/1.1\r\nhost: x\r\n\r\nGET /warm-up HTTP/1.1\r\nhost: x\r\n\r\n');
    await pause();
    expect(received.match(/HTTP\/1\.1 200 OK\r\n/g)).toHaveLength(3);
    expect(received.endsWith('\r\n\r\nok')).toBe(true);
    socket.destroy();
    await server.close();
  });
});
