import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { EventStreamReader } from '../../../test/dashboard-readers.js';
import { outputConformance, type Destination, type Refused } from './conformance.js';
import { webDashboardOutput } from './web-dashboard.js';

/** The live dashboard on a free port, read as a browser reads it (its event stream); `export` also writes the report there. */
function dashboard(exportTo?: string): Destination {
  const stream = new EventStreamReader();
  return {
    arg: `port=0&period=1s${exportTo === undefined ? '' : `&export=${exportTo}`}`,
    heard: (line) => stream.heard(line),
    started: () => stream.connected(),
    read: () => stream.read(),
    close: async () => stream.close(),
  };
}

/** A port another server listens on. */
async function portInUse(): Promise<Refused> {
  const blocker = createServer();
  const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)));
  return {
    arg: `port=${port}`,
    read: async () => ({}),
    close: () => new Promise<void>((resolve) => blocker.close(() => resolve())),
    why: new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`),
  };
}

outputConformance({
  type: webDashboardOutput,
  reports: ['requests', 'state', 'thresholds'],
  destination: async () => dashboard(),
  unwritable: portInUse,
  // the report at the end (export=) on a full disk
  ...(existsSync('/dev/full') ? { failing: async () => ({ ...dashboard('/dev/full'), why: /ENOSPC/ }) } : {}),
});
