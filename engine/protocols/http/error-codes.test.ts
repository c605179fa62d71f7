import { describe, expect, it } from 'vitest';
import { classifyError, K6_ERROR, RequestFailure } from './error-codes.js';

function err(code: string, syscall?: string, message = code): Error {
  return Object.assign(new Error(message), { code, syscall });
}

describe('classifyError: Node and undici errors → k6 codes and messages', () => {
  it.each([
    [err('ECONNREFUSED', 'connect'), 1212, 'dial: connection refused'],
    [err('ECONNRESET', 'read'), 1220, 'read: connection reset by peer'],
    [err('ECONNRESET', 'connect'), 1220, 'dial: connection reset by peer'],
    [err('EPIPE', 'write'), 1201, 'write: broken pipe'],
    [err('ENOTFOUND', 'getaddrinfo'), 1101, 'lookup: no such host'],
    [err('EAI_AGAIN', 'getaddrinfo'), 1100, 'lookup: EAI_AGAIN'],
    [err('ETIMEDOUT', 'connect'), 1211, 'dial: i/o timeout'],
    [err('UND_ERR_CONNECT_TIMEOUT'), 1211, 'dial: i/o timeout'],
    [err('EHOSTUNREACH', 'connect'), 1213, 'dial: EHOSTUNREACH'],
    [err('EADDRNOTAVAIL', 'connect'), 1213, 'dial: EADDRNOTAVAIL'],
    [err('UND_ERR_HEADERS_TIMEOUT'), 1050, 'request timeout'],
    [err('UND_ERR_BODY_TIMEOUT'), 1050, 'request timeout'],
    [err('UND_ERR_SOCKET'), 1000, 'EOF: the server closed the connection'],
    [err('UND_ERR_ABORTED'), 1000, 'request aborted: the VU closed its connections'],
    [err('ERR_INVALID_URL'), 1020, 'invalid URL'],
    [err('DEPTH_ZERO_SELF_SIGNED_CERT'), 1310, 'x509: unknown authority'],
    [err('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 1310, 'x509: unknown authority'],
    [err('ERR_TLS_CERT_ALTNAME_INVALID'), 1311, "x509: certificate doesn't match hostname"],
    [err('CERT_HAS_EXPIRED'), 1300, 'x509: certificate has expired or is not yet valid'],
    [err('ERR_SSL_WRONG_VERSION_NUMBER'), 1301, 'tls: first record does not look like a TLS handshake'],
    [err('HPE_INVALID_CONSTANT'), 1000, 'malformed HTTP response (HPE_INVALID_CONSTANT)'],
  ])('%s', (e, code, message) => {
    expect(classifyError(e)).toEqual({ code, message });
  });

  it('other TLS errors are 1300; unknown errors 1000 with their message', () => {
    expect(classifyError(err('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', undefined, 'handshake failure')).code).toBe(K6_ERROR.tlsGeneric);
    expect(classifyError(new Error('boom'))).toEqual({ code: 1000, message: 'boom' });
    expect(classifyError('a string')).toEqual({ code: 1000, message: 'a string' });
  });

  it('looks into `cause` when the error itself is not classified', () => {
    const wrapped = Object.assign(new Error('fetch failed'), { cause: err('ECONNREFUSED', 'connect') });
    expect(classifyError(wrapped).code).toBe(1212);
  });

  it('RequestFailure carries its own code', () => {
    expect(classifyError(new RequestFailure('request timeout', 1050))).toEqual({ code: 1050, message: 'request timeout' });
  });
});
