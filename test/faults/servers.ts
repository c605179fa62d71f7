import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * Loopback HTTP/1.1 servers (127.0.0.1, an ephemeral port) that misbehave on purpose, for the
 * fault suite. Each reads requests (head and Content-Length body) and counts every one it
 * received, so a test can hold loadts's `http_reqs` to the server's own count.
 */
export interface FaultServer {
  readonly url: string;
  /** Requests received (complete heads and bodies). */
  requests(): number;
  /** The path of each request received, in order. */
  paths(): readonly string[];
  /** Connections accepted, and those still open. */
  connections(): number;
  openConnections(): number;
  /** Response bytes written to sockets. */
  bytesWritten(): number;
  close(): Promise<void>;
}

/** What a server does with each request it has read, on its socket. */
type Respond = (socket: Socket, n: number, path: string) => void;

/** A raw server that reads requests and hands each to `respond` (n: its number on the connection, from 1; its path). */
async function faultServer(respond: Respond): Promise<FaultServer> {
  const paths: string[] = [];
  let connections = 0;
  let written = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => {
      written += socket.bytesWritten;
      sockets.delete(socket);
    });
    socket.on('error', () => {});
    let n = 0;
    let buffered: Buffer = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      buffered = buffered.length === 0 ? d : Buffer.concat([buffered, d]);
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        buffered = buffered.subarray(end + 4 + length);
        const path = /^\S+ (\S+)/.exec(head)?.[1] ?? '';
        paths.push(path);
        // A request that arrives after the server closed its side is counted and never answered.
        if (!socket.writableEnded && !socket.destroyed) respond(socket, ++n, path);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => paths.length,
    paths: () => paths,
    connections: () => connections,
    openConnections: () => sockets.size,
    bytesWritten: () => written + [...sockets].reduce((a, s) => a + s.bytesWritten, 0),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const OK = 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok';

/** A server that behaves: answers every request 200 'ok' at once, on a kept-alive connection. */
export function okServer(): Promise<FaultServer> {
  return faultServer((socket) => socket.write(OK));
}

/** Answers 200 'ok': requests to `slowPath` after `delayMs`, the others at once. */
export function slowPathServer(slowPath: string, delayMs: number): Promise<FaultServer> {
  return faultServer((socket, _n, path) => {
    if (path !== slowPath) return void socket.write(OK);
    const timer = setTimeout(() => !socket.destroyed && socket.write(OK), delayMs);
    socket.once('close', () => clearTimeout(timer));
  });
}

/** Accepts connections, reads requests, and never answers. */
export function silentServer(): Promise<FaultServer> {
  return faultServer(() => {});
}

/**
 * Answers with a head announcing a 100 kB body, sends `sentBytes` of it, then (once the client
 * has had time to read them) resets the connection.
 */
export function resetMidBodyServer(sentBytes = 1000, resetAfterMs = 50): Promise<FaultServer> {
  return faultServer((socket) => {
    socket.write(`HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n${'x'.repeat(sentBytes)}`);
    setTimeout(() => socket.resetAndDestroy(), resetAfterMs);
  });
}

/**
 * Answers every request, then closes the connection: with `Connection: close`, or (`header`
 * false) with only a FIN right behind the response, as a keep-alive server that hangs up would.
 */
export function closingServer(header: boolean): Promise<FaultServer> {
  const reply = header ? OK.replace('\r\n\r\n', '\r\nconnection: close\r\n\r\n') : OK;
  return faultServer((socket) => socket.end(reply));
}

/** Answers with a status line that is not HTTP, then closes. */
export function malformedStatusServer(): Promise<FaultServer> {
  return faultServer((socket) => socket.end('HTTP/1.1 2OO OK\r\ncontent-length: 2\r\n\r\nok'));
}

/**
 * Answers 200 and then sends body bytes: forever (no length: the body would end with the
 * connection), or `totalBytes` with a Content-Length; as fast as the client reads them, or at
 * most `bytesPerSecond` (so that an endless body does not take a shared machine's CPU).
 */
export function endlessBodyServer(opts: { totalBytes?: number; bytesPerSecond?: number } = {}): Promise<FaultServer> {
  const chunk = Buffer.alloc(64 * 1024, 'z');
  const tickMs = opts.bytesPerSecond === undefined ? 0 : Math.max(1, (chunk.length / opts.bytesPerSecond) * 1000);
  return faultServer((socket) => {
    const total = opts.totalBytes;
    socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\n${total === undefined ? '' : `content-length: ${total}\r\n`}\r\n`);
    let left = total ?? Infinity;
    const next = (): boolean => {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      return socket.write(piece);
    };
    if (tickMs > 0) {
      const timer = setInterval(() => {
        if (socket.destroyed || left <= 0) clearInterval(timer);
        else if (socket.writableLength < chunk.length * 4) next();
      }, tickMs);
      return;
    }
    const pump = (): void => {
      while (left > 0 && !socket.destroyed) {
        if (!next()) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}

/** Answers each request correctly, one byte every `gapMs`. */
export function slowBytesServer(gapMs: number): Promise<FaultServer> {
  return faultServer((socket) => {
    const bytes = Buffer.from(OK);
    let i = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || i >= bytes.length) {
        clearInterval(timer);
        return;
      }
      socket.write(bytes.subarray(i, ++i));
    }, gapMs);
  });
}
