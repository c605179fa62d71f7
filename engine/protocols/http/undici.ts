/**
 * The two undici values loadts uses, imported from their own files rather than from 'undici'.
 * undici's index loads all of it (fetch, WebSocket, caches, mocks: ~1 MB of code); every worker
 * thread would parse it at start-up for nothing. undici 7 has no exports map, so these files are
 * reachable, and their types are undici's own (see undici-files.d.ts). Import undici values from
 * here, never from 'undici'; `import type` from 'undici' is free.
 */
export { default as Client } from 'undici/lib/dispatcher/client.js';
export { default as buildConnector } from 'undici/lib/core/connect.js';
