/**
 * k6's error codes for failed requests (https://grafana.com/docs/k6/latest/javascript-api/error-codes/,
 * values and messages from k6's lib/netext/httpext/error_codes.go), mapped from Node's and undici's
 * error codes. Messages are k6's fixed strings where k6 has one, so the `error` tag stays low-cardinality.
 */
export const K6_ERROR = {
  /** Anything not classified below. */
  generic: 1000,
  nonTCPNetwork: 1010,
  invalidURL: 1020,
  requestTimeout: 1050,
  dnsGeneric: 1100,
  dnsNoSuchHost: 1101,
  tcpGeneric: 1200,
  tcpBrokenPipe: 1201,
  tcpUnknownErrno: 1202,
  dialGeneric: 1210,
  dialTimeout: 1211,
  dialRefused: 1212,
  dialUnknownErrno: 1213,
  resetByPeer: 1220,
  tlsGeneric: 1300,
  tlsHeader: 1301,
  x509UnknownAuthority: 1310,
  x509HostnameMismatch: 1311,
  decompression: 1701,
} as const;

/** loadts's HTTP/1.1 client: the server closed the connection before the response was complete (Go: EOF). */
export const SOCKET_CLOSED = 'ERR_LOADTS_SOCKET_CLOSED';
/** loadts's HTTP/1.1 client: the VU closed its connections while the request was in flight or waiting. */
export const CLIENT_CLOSED = 'ERR_LOADTS_CLIENT_CLOSED';

/** A failure loadts itself decides (timeout, decompression), already classified. */
export class RequestFailure extends Error {
  readonly errorCode: number;
  constructor(message: string, errorCode: number) {
    super(message);
    this.name = 'RequestFailure';
    this.errorCode = errorCode;
  }
}

/** A classified failure: k6's `error_code` and `error` message. */
export interface ClassifiedError {
  code: number;
  message: string;
}

/** Go's net.OpError operation for a Node syscall name ('connect' is Go's 'dial'). */
function op(syscall: string | undefined): string {
  if (syscall === 'connect') return 'dial';
  if (syscall === 'write' || syscall === 'writev') return 'write';
  return 'read';
}

/** What a rule sees of the error: its syscall, its code and its message. */
interface ErrorFacts {
  syscall: string | undefined;
  code: string;
  msg: string;
}

/** Maps one kind of error to k6's code and message (a fresh object each time: callers may keep it). */
type Rule = (e: ErrorFacts) => ClassifiedError;

const fixed =
  (code: number, message: string): Rule =>
  () => ({ code, message });

/** A network error: Go's dial error when the syscall was connect, else its read/write error. */
const dialOr =
  (dial: Rule, other: Rule): Rule =>
  (e) =>
    e.syscall === 'connect' ? dial(e) : other(e);

/** Error codes of a request that the VU itself ended (its iteration interrupted at a stop). */
const VU_ABORT_CODES = ['UND_ERR_ABORTED', 'UND_ERR_DESTROYED', 'UND_ERR_CLOSED', CLIENT_CLOSED];
/** A request still in flight on a worker thread that is being stopped (in-flight.ts). */
const WORKER_STOPPED = 'ERR_LOADTS_WORKER_STOPPED';

/** Certificates that do not chain to a trusted root (Go: x509.UnknownAuthorityError). */
const UNKNOWN_AUTHORITY_CODES = [
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
];

/** Node's and undici's error codes, each with its rule; a code is in one row at most. */
const RULES: ReadonlyArray<[codes: readonly string[], rule: Rule]> = [
  [['ECONNREFUSED'], fixed(K6_ERROR.dialRefused, 'dial: connection refused')],
  [['ECONNRESET'], (e) => ({ code: K6_ERROR.resetByPeer, message: `${op(e.syscall)}: connection reset by peer` })],
  [['EPIPE'], (e) => ({ code: K6_ERROR.tcpBrokenPipe, message: `${op(e.syscall ?? 'write')}: broken pipe` })],
  [['ENOTFOUND'], fixed(K6_ERROR.dnsNoSuchHost, 'lookup: no such host')],
  [['ETIMEDOUT'], dialOr(fixed(K6_ERROR.dialTimeout, 'dial: i/o timeout'), (e) => ({ code: K6_ERROR.tcpUnknownErrno, message: `${op(e.syscall)}: ETIMEDOUT` }))],
  [['UND_ERR_CONNECT_TIMEOUT'], fixed(K6_ERROR.dialTimeout, 'dial: i/o timeout')],
  [
    ['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EADDRINUSE', 'EACCES', 'EPERM'],
    dialOr(
      (e) => ({ code: K6_ERROR.dialUnknownErrno, message: `dial: ${e.code}` }),
      (e) => ({ code: K6_ERROR.tcpUnknownErrno, message: `${op(e.syscall)}: ${e.code}` }),
    ),
  ],
  [['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'], fixed(K6_ERROR.requestTimeout, 'request timeout')],
  // The server closed the connection before the response was complete (Go: EOF).
  [['UND_ERR_SOCKET', SOCKET_CLOSED], fixed(K6_ERROR.generic, 'EOF: the server closed the connection')],
  [VU_ABORT_CODES, fixed(K6_ERROR.generic, 'request aborted: the VU closed its connections')],
  [[WORKER_STOPPED], fixed(K6_ERROR.generic, 'request aborted: its worker thread was stopped')],
  [['UND_ERR_HEADERS_OVERFLOW', 'HPE_HEADER_OVERFLOW'], fixed(K6_ERROR.generic, 'response headers too large')],
  [['UND_ERR_RES_CONTENT_LENGTH_MISMATCH'], fixed(K6_ERROR.generic, 'response body length does not match Content-Length')],
  [['ERR_INVALID_HTTP_TOKEN', 'ERR_INVALID_CHAR'], (e) => ({ code: K6_ERROR.generic, message: e.msg })],
  [['ERR_INVALID_URL'], fixed(K6_ERROR.invalidURL, 'invalid URL')],
  [['ERR_TLS_CERT_ALTNAME_INVALID'], fixed(K6_ERROR.x509HostnameMismatch, "x509: certificate doesn't match hostname")],
  [['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'], fixed(K6_ERROR.tlsGeneric, 'x509: certificate has expired or is not yet valid')],
  [
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST'],
    fixed(K6_ERROR.tlsHeader, 'tls: first record does not look like a TLS handshake'),
  ],
  [UNKNOWN_AUTHORITY_CODES, fixed(K6_ERROR.x509UnknownAuthority, 'x509: unknown authority')],
];

const BY_CODE: ReadonlyMap<string, Rule> = new Map(RULES.flatMap(([codes, rule]) => codes.map((c): [string, Rule] => [c, rule])));

/** Families of codes, by prefix, for the codes that no row of RULES names. */
const BY_PREFIX: ReadonlyArray<[prefix: string, rule: Rule]> = [
  ['EAI_', (e) => ({ code: K6_ERROR.dnsGeneric, message: `lookup: ${e.code}` })],
  ['HPE_', (e) => ({ code: K6_ERROR.generic, message: `malformed HTTP response (${e.code})` })],
  ['ERR_SSL_', (e) => ({ code: K6_ERROR.tlsGeneric, message: `tls: ${e.msg}` })],
  ['ERR_TLS_', (e) => ({ code: K6_ERROR.tlsGeneric, message: `tls: ${e.msg}` })],
];

/**
 * Maps an error from Node or undici (or a RequestFailure) to k6's code and message: by its code
 * (RULES, then BY_PREFIX), else by its cause's, else k6's generic code with the error's message.
 */
export function classifyError(err: unknown): ClassifiedError {
  if (err instanceof RequestFailure) return { code: err.errorCode, message: err.message };
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown; syscall?: string; cause?: unknown };
  const facts: ErrorFacts = { syscall: e.syscall, code: typeof e.code === 'string' ? e.code : '', msg: typeof e.message === 'string' ? e.message : String(err) };
  const rule = BY_CODE.get(facts.code) ?? BY_PREFIX.find(([prefix]) => facts.code.startsWith(prefix))?.[1];
  if (rule !== undefined) return rule(facts);
  if (e.cause !== undefined && e.cause !== err) {
    const inner = classifyError(e.cause);
    if (inner.code !== K6_ERROR.generic) return inner;
  }
  return { code: K6_ERROR.generic, message: facts.msg };
}

const VU_ABORTS = new Set([...VU_ABORT_CODES, WORKER_STOPPED]);

/** Whether `e` ended a request because its VU closed its connections (a stop), not because of the server. */
export function isVuAbort(e: unknown): boolean {
  return VU_ABORTS.has(String((e as { code?: unknown } | null)?.code ?? ''));
}
