import diagnosticsChannel from 'node:diagnostics_channel';
import { connect as netConnect, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { clientCertFor, tlsVersionOptions, type ResolvedTlsAuth, type ResolvedTlsVersion } from './tls-config.js';
import type { buildConnector } from 'undici';
import { undici } from './undici.js';

/**
 * Per-connection facts, kept on the socket. One VU owns each connection and its client (H1Client
 * for http, undici's Client for https) sends one request at a time on it, so the TCP socket's byte
 * counters, read at the end of each request, split exactly into per-request traffic (HTTP/2
 * streams that overlap excepted).
 */
export class ConnectionInfo {
  /**
   * The TCP socket, whose counters are bytes on the wire: for https that is the socket under the
   * TLS socket (a TLSSocket counts plaintext), so TLS records and the handshake are counted too.
   */
  readonly tcp: Socket;
  /** TCP connect time (after DNS), ms. */
  readonly connectingMs: number;
  /** TLS handshake time, ms; 0 for plain HTTP. */
  readonly tlsMs: number;
  readonly remoteIp: string;
  readonly remotePort: number;
  /** k6's form: 'tls1.3', 'tls1.2'; '' for plain HTTP. */
  readonly tlsVersion: string;
  /** The negotiated cipher suite, IANA name as Go's ('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'); '' for plain HTTP. */
  readonly tlsCipherSuite: string;
  /** The server chose HTTP/2 (ALPN 'h2'). */
  readonly h2: boolean;
  /** True until the first request on this connection has taken the connect timings. */
  fresh = true;
  /** Socket byte counters already attributed to requests. */
  readAccounted = 0;
  writtenAccounted = 0;
  /** Told when the server sends FIN on an undici connection (undici-reuse.ts). */
  peerEnd: PeerEndListener | undefined = undefined;

  constructor(connectingMs: number, tlsMs: number, socket: Socket, tcp: Socket) {
    this.tcp = tcp;
    this.connectingMs = connectingMs;
    this.tlsMs = tlsMs;
    this.remoteIp = socket.remoteAddress ?? '';
    this.remotePort = socket.remotePort ?? 0;
    const proto = (socket as TLSSocket).getProtocol?.();
    this.tlsVersion = typeof proto === 'string' ? proto.replace(/^TLSv/, 'tls') : '';
    this.tlsCipherSuite = this.tlsVersion === '' ? '' : ((socket as TLSSocket).getCipher?.()?.standardName ?? '');
    this.h2 = (socket as TLSSocket).alpnProtocol === 'h2';
  }
}

/** Learns of the server's FIN on a connection. */
export interface PeerEndListener {
  peerEnded(): void;
}

const kInfo = Symbol('loadts.connection');
type InfoSocket = Socket & { [kInfo]?: ConnectionInfo };

/** The ConnectionInfo of a socket our connector made (undefined for foreign sockets). */
export function connectionInfo(socket: Socket): ConnectionInfo | undefined {
  return (socket as InfoSocket)[kInfo];
}

/** Keeps `info` on the socket it describes. */
export function attachConnectionInfo(socket: Socket, info: ConnectionInfo): void {
  (socket as InfoSocket)[kInfo] = info;
}

/** Live counters a VU's connector keeps. */
export interface DialState {
  /** Connection attempts in progress (a timeout while > 0 is a dial timeout, k6 code 1211). */
  dialing: number;
}

/** Parses the `hosts` option: name → address ('1.2.3.4', '1.2.3.4:8080', '[::1]:8080'). */
export function parseHosts(hosts: Record<string, string>): Map<string, { hostname: string; port: string | undefined }> {
  const out = new Map<string, { hostname: string; port: string | undefined }>();
  for (const [name, target] of Object.entries(hosts)) {
    const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(target) ?? /^([^:]+)(?::(\d+))?$/.exec(target);
    out.set(name.toLowerCase(), m ? { hostname: m[1]!, port: m[2] } : { hostname: target, port: undefined });
  }
  return out;
}

/** What a VU's connector needs to know. */
export interface ConnectorOptions {
  insecureSkipTLSVerify: boolean;
  hosts: Record<string, string>;
  connectTimeoutMs: number;
  state: DialState;
  /** The `tlsVersion` option. */
  tlsVersion?: ResolvedTlsVersion | undefined;
  /** The `tlsAuth` option: client certificates, chosen by the URL's host name. */
  tlsAuth?: readonly ResolvedTlsAuth[] | undefined;
  /** The `tlsCipherSuites` option (k6 names). */
  tlsCipherSuites?: readonly string[] | undefined;
  /** Offer HTTP/2 in the TLS handshake (ALPN h2, http/1.1). */
  allowH2?: boolean;
}

const plainConnectors = new Map<number, buildConnector.connector>();
/** One undici connector for plain-HTTP connections per connect timeout, shared by a thread's VUs. */
function sharedPlainConnector(timeoutMs: number): buildConnector.connector {
  let c = plainConnectors.get(timeoutMs);
  if (c === undefined) {
    c = undici().buildConnector({ timeout: timeoutMs });
    plainConnectors.set(timeoutMs, c);
  }
  return c;
}

const hostsParsed = new WeakMap<Record<string, string>, ReturnType<typeof parseHosts>>();
/** parseHosts, once per options object (every VU of a test passes the same one). */
function parsedHosts(hosts: Record<string, string>): ReturnType<typeof parseHosts> {
  let h = hostsParsed.get(hosts);
  if (h === undefined) {
    h = parseHosts(hosts);
    hostsParsed.set(hosts, h);
  }
  return h;
}

/** The address to dial for a URL's host and port: the `hosts` option's override, else the URL's own. */
export function dialTarget(hosts: Record<string, string>, hostname: string, port: string): { hostname: string; port: string } {
  const override = parsedHosts(hosts).get(hostname.toLowerCase());
  return override === undefined ? { hostname, port } : { hostname: override.hostname, port: override.port ?? port };
}

/**
 * A connector for one VU's undici Clients: undici's own (TLS session cache, keep-alive, connect
 * timeout) plus the `hosts` override and connect timings. The origin, the Host header and TLS SNI
 * stay the URL's; only the address dialed changes. For https the TCP socket is dialed here and
 * handed to undici's connector to wrap in TLS, so that its wire-level byte counters stay at hand.
 * TLS versions, ALPN (h2) and client certificates are the connector's: one undici connector per
 * `tlsAuth` entry in use (each with its own session cache), picked by the URL's host name.
 */
export function vuConnector(opts: ConnectorOptions): buildConnector.connector {
  const tlsOptions = { rejectUnauthorized: !opts.insecureSkipTLSVerify, timeout: opts.connectTimeoutMs, allowH2: opts.allowH2 === true, ...tlsVersionOptions(opts.tlsVersion, opts.tlsCipherSuites) };
  // TLS: this VU's own undici connector, so its TLS sessions are its own (a VU resumes only its own
  // sessions, as k6's do); made on the first https connection. Plain HTTP has no per-VU state, so
  // every VU shares one: a connector with its session cache costs ~1 KiB per VU.
  let tlsBase: buildConnector.connector | undefined;
  const plain = sharedPlainConnector(opts.connectTimeoutMs);
  const auth = opts.tlsAuth;
  const withCert: Array<buildConnector.connector | undefined> = [];
  const connectorFor = (host: string): buildConnector.connector => {
    const i = clientCertFor(auth, host);
    if (i < 0) return (tlsBase ??= undici().buildConnector(tlsOptions));
    const a = auth![i]!;
    return (withCert[i] ??= undici().buildConnector({ ...tlsOptions, cert: a.cert, key: a.key, ...(a.password === '' ? {} : { passphrase: a.password }) }));
  };
  const hosts = opts.hosts;
  const state = opts.state;
  return (options, callback) => {
    const startMs = performance.now();
    let lookupMs = 0;
    let tcpMs = 0;
    const dial = dialTarget(hosts, options.hostname, options.port);
    const target = dial.hostname === options.hostname && dial.port === options.port ? options : { ...options, ...dial };
    const tls = options.protocol === 'https:';
    const onLookup = (): void => {
      lookupMs = performance.now();
    };
    const onConnect = (): void => {
      tcpMs = performance.now();
    };
    let tcp: Socket | undefined;
    if (tls) {
      tcp = netConnect({ host: target.hostname, port: Number(target.port) || 443 });
      tcp.setNoDelay(true).setKeepAlive(true, 60_000).once('lookup', onLookup).once('connect', onConnect);
      tcp.on('error', noop); // reported through the TLS socket
    }
    state.dialing++;
    const connect = tls ? connectorFor(options.servername || options.hostname) : plain;
    const socket = connect(tls ? { ...target, httpSocket: tcp } : target, (err, s) => {
      state.dialing--;
      if (err !== null || s === null) {
        callback(err ?? new Error('connect failed'), null);
        return;
      }
      const endMs = performance.now();
      const tcpEnd = tcpMs || endMs;
      attachConnectionInfo(s as Socket, new ConnectionInfo(tcpEnd - (lookupMs || startMs), tls ? endMs - tcpEnd : 0, s as Socket, tcp ?? (s as Socket)));
      (s as Socket).once('end', onPeerEnd);
      callback(null, s);
    }) as unknown as Socket | undefined;
    if (!tls) socket?.once('lookup', onLookup).once('connect', onConnect);
  };
}

function noop(): void {}

function onPeerEnd(this: Socket): void {
  connectionInfo(this)?.peerEnd?.peerEnded();
}

/**
 * Which socket carries which request. undici's handler API does not say, but undici publishes
 * `undici:client:sendHeaders` (with the socket) synchronously right after it calls
 * onRequestStart, and `undici:request:bodySent` right after writing a buffered request. A request
 * that is about to be written registers here in onRequestStart; nothing else can run in between.
 * Requests made by other code (fetch, other undici instances) publish on the same channels and are
 * ignored: only a registered request is ever bound.
 */
export interface WriteObserver {
  /** The request's headers are about to be written on `socket`. */
  onSocket(socket: Socket): void;
  /** The whole request (headers and body) has been written. */
  onWritten(): void;
}

let expecting: WriteObserver | undefined;
let writingObserver: WriteObserver | undefined;
let writingRequest: unknown;
let subscribed = false;

function onSendHeaders(message: unknown): void {
  const observer = expecting;
  if (observer === undefined) return;
  expecting = undefined;
  const m = message as { socket: Socket; request: unknown };
  writingObserver = observer;
  writingRequest = m.request;
  observer.onSocket(m.socket);
}

function onBodySent(message: unknown): void {
  if (writingObserver === undefined || (message as { request: unknown }).request !== writingRequest) return;
  const observer = writingObserver;
  writingObserver = undefined;
  writingRequest = undefined;
  observer.onWritten();
}

/** Subscribes to undici's channels (once per thread). */
export function observeWrites(): void {
  if (subscribed) return;
  subscribed = true;
  diagnosticsChannel.subscribe('undici:client:sendHeaders', onSendHeaders);
  diagnosticsChannel.subscribe('undici:request:bodySent', onBodySent);
}

/** Called from onRequestStart: the next request undici writes is this observer's. */
export function expectWrite(observer: WriteObserver): void {
  expecting = observer;
}

/** The observer's request was written by loadts's own HTTP/1.1 client (which says so directly): undici's next one is not it. */
export function cancelExpectedWrite(observer: WriteObserver): void {
  if (expecting === observer) expecting = undefined;
}
