import { createServer } from 'node:net';
import { RemoteWriteReceiver } from '../../../test/remote-write-receiver.js';
import { outputConformance, type Destination, type Refused } from './conformance.js';
import { prometheusRemoteWriteOutput } from './prometheus-rw.js';

/** A loopback receiver (test/remote-write-receiver.ts) that accepts `accepts` pushes, then answers 503. */
async function receiver(accepts?: number): Promise<Destination> {
  const r = await RemoteWriteReceiver.start(accepts);
  return { arg: r.url, read: async () => r.written(), close: () => r.close() };
}

/** A loopback port nothing listens on: the connection is refused. */
async function refusing(): Promise<Refused> {
  const s = createServer();
  const port = await new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as { port: number }).port)));
  await new Promise<void>((resolve) => s.close(() => resolve()));
  const url = `http://127.0.0.1:${port}/api/v1/write`;
  return { arg: url, read: async () => ({}), why: new RegExp(`cannot push to ${url.replace(/[.]/g, '\\.')}: .*ECONNREFUSED`) };
}

outputConformance({
  type: prometheusRemoteWriteOutput,
  reports: ['requests'],
  destination: () => receiver(),
  unwritable: refusing,
  // it took the start's empty push, then stops accepting: the last push, at the end, fails
  failing: async () => ({ ...(await receiver(1)), why: /the last push failed: .*answered 503/ }),
});
