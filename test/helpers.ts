import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'loadts.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A temp dir with the given files (name → content). */
export function fixtureDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'loadts-test-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** Reads and parses a JSON file written by a run. */
export function readJson<T = any>(path: string): T {
  if (!existsSync(path)) throw new Error(`expected ${path} to exist`);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** A running `loadts` command. */
export type LoadtsChild = ChildProcessByStdio<null, Readable, Readable>;

/** How loadts() runs the command. */
export interface LoadtsOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  signalAfterMs?: number;
  onStdout?: (chunk: string, kill: (s: NodeJS.Signals) => void) => void;
  /** Gets the child once spawned, e.g. to send it signals or watch its output. */
  onSpawn?: (child: LoadtsChild) => void;
  /** A command that runs loadts, as a user would: ['timeout', '-s', 'TERM', '3'] runs `timeout -s TERM 3 node bin/loadts.js …`. */
  wrap?: string[];
}

/**
 * Runs the real `loadts` command (built dist/) as a child process (in the caller's process group,
 * as a shell would).
 */
export function loadts(args: string[], opts: LoadtsOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = { ...(process.env as Record<string, string>), NO_COLOR: '1', ...opts.env };
    delete env.BASE_URL;
    if (opts.env?.BASE_URL) env.BASE_URL = opts.env.BASE_URL;
    // The suite run in GitHub Actions: its runs append to the job's step summary only when a test asks.
    if (opts.env?.GITHUB_STEP_SUMMARY === undefined) delete env.GITHUB_STEP_SUMMARY;
    const [command, ...prefix] = [...(opts.wrap ?? []), process.execPath];
    const child = spawn(command!, [...prefix, BIN, ...args], { cwd: opts.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const kill = (s: NodeJS.Signals) => child.kill(s);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      opts.onStdout?.(stdout, kill);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      opts.onStdout?.(stdout + stderr, kill);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`loadts ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    const sigTimer = opts.signalAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGINT'), opts.signalAfterMs);
    child.on('error', reject);
    opts.onSpawn?.(child);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(sigTimer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A loopback HTTP server on an ephemeral port for tests that need server-side facts. */
export async function testServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(handler);
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * The demo target in a process of its own (`loadts serve --port 0`), for tests that measure time:
 * a target inside the vitest worker shares that process's event loop and CPU with the test
 * runner, which shows up as a millisecond or more on every response.
 */
export async function demoTargetProcess(opts: { warm?: boolean } = {}): Promise<{ url: string; pid: number; close(): Promise<void> }> {
  const target = await spawnDemoTarget();
  if (opts.warm) await warmUp(target.url);
  return target;
}

/**
 * Sends the target a few thousand quick requests, so that its code is compiled before a test
 * measures it: a real target is warm, a Node process that just started is not (its first second is
 * several times slower, which a high-rate open-model test would read as the target's latency).
 * A quarter of them on new connections: an open model's start opens a connection per VU, and a
 * server whose connection handling is still cold answers that burst tens of ms late.
 */
async function warmUp(url: string): Promise<void> {
  const agent = new Agent({ connections: 16 });
  try {
    let left = 4000;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (left-- > 0) {
          const headers = left % 4 === 0 ? { connection: 'close' } : {};
          const res = await request(`${url}/delay/0`, { dispatcher: agent, headers });
          await res.body.dump();
        }
      }),
    );
  } finally {
    await agent.close();
  }
}

function spawnDemoTarget(): Promise<{ url: string; pid: number; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`loadts serve did not start: ${out}`));
    }, 10_000);
    child.on('error', reject);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m === null) return;
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({
        url: m[1]!,
        pid: child.pid!,
        close: () =>
          new Promise<void>((r) => {
            if (child.exitCode !== null) return r();
            child.once('close', () => r());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** A loopback server that answers 'ok', after N ms for paths containing /delay/N. */
export function delayServer(): ReturnType<typeof testServer> {
  return testServer((req, res) => {
    const delay = Number(/\/delay\/(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
    setTimeout(() => res.end('ok'), delay);
  });
}

/** A loopback server whose /cap answers after 25 ms per request in flight (so latency climbs with a capacity search's VUs); other paths at once. */
export function capServer(): ReturnType<typeof testServer> {
  let inFlight = 0;
  return testServer((req, res) => {
    if (req.url !== '/cap') return void res.end('ok');
    inFlight++;
    setTimeout(() => {
      inFlight--;
      res.end('ok');
    }, inFlight * 25);
  });
}

/** A loopback TCP port that was free a moment ago (for a server another process will start). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
