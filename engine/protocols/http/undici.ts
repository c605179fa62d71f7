import { createRequire } from 'node:module';
import type { Client, buildConnector } from 'undici';

/**
 * The two undici values loadts uses (for https: TLS, ALPN and HTTP/2; plain http goes through
 * loadts's own H1Client), loaded from their own files on first use.
 *
 * - Their own files, not 'undici': undici's index loads all of it (fetch, WebSocket, caches, mocks:
 *   ~1 MB of code). undici 7 has no exports map, so these files are reachable, and their types are
 *   undici's own.
 * - On first use, synchronously (require): a test that only speaks plain http never loads undici,
 *   and every worker thread starts ~30 ms sooner. The first https connection of a worker pays ~45 ms
 *   for it, once, in that request's `blocked` time. The specifiers are not literals, so the engine
 *   bundle leaves them to Node (they load from node_modules).
 *
 * Get undici values from here, never by importing 'undici'; `import type` from 'undici' is free.
 */
export interface Undici {
  Client: typeof Client;
  buildConnector: typeof buildConnector;
}

const FILES = { client: 'undici/lib/dispatcher/client.js', connect: 'undici/lib/core/connect.js' };

let loaded: Undici | undefined;

export function undici(): Undici {
  if (loaded === undefined) {
    const load = createRequire(import.meta.url);
    loaded = { Client: load(FILES.client) as typeof Client, buildConnector: load(FILES.connect) as typeof buildConnector };
  }
  return loaded;
}
