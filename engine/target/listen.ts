/** The demo target's server: http, https, or https with HTTP/2; listening, and closing every connection at the end. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer, type ServerHttp2Session } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { SelfSignedCert } from './self-signed-cert.js';

/** A server, and how to end the connections that closeAllConnections() does not reach (TLS sockets, HTTP/2 sessions). */
export interface DemoServer {
  server: Server | Http2SecureServer;
  destroyConnections(): void;
}

/** http without `pem`; https with it, and HTTP/2 as well as HTTP/1.1 with `h2`. Keep-alive 65 s. */
export function createDemoServer(handler: (req: IncomingMessage, res: ServerResponse) => void, pem: SelfSignedCert | undefined, h2: boolean): DemoServer {
  let server: Server | Http2SecureServer;
  const sockets = new Set<Socket>();
  const h2Sessions = new Set<ServerHttp2Session>();
  if (pem === undefined) server = createServer({ noDelay: true }, handler);
  else if (h2) {
    const secure = createSecureServer({ cert: pem.cert, key: pem.key, allowHTTP1: true }, handler as never);
    secure.on('session', (session: ServerHttp2Session) => {
      h2Sessions.add(session);
      session.once('close', () => h2Sessions.delete(session));
    });
    server = secure;
  } else server = createHttpsServer({ cert: pem.cert, key: pem.key, noDelay: true }, handler);
  if (pem !== undefined) {
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
  }
  if ('keepAliveTimeout' in server) {
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
  }
  const destroyConnections = (): void => {
    for (const session of h2Sessions) session.destroy();
    for (const socket of sockets) socket.destroy();
  };
  return { server, destroyConnections };
}

/** Listens on host:port; a port in use or not allowed is a clear error. */
export async function listen(server: Server | Http2SecureServer, host: string, port: number): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'EADDRINUSE' ? 'the address is in use' : e.code === 'EACCES' ? 'permission denied' : e.message;
      reject(new Error(`cannot start the demo target on ${host}:${port}: ${why}`, { cause: e }));
    });
    server.listen(port, host, () => resolve());
  });
  return server.address() as AddressInfo;
}
