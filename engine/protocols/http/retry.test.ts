import { describe, expect, it } from 'vitest';
import { isReplayable, shouldRetry, type Attempt } from './retry.js';

const stale = Object.assign(new Error('the server closed the connection'), { code: 'ERR_LOADTS_SOCKET_CLOSED' });
const base: Attempt = { method: 'GET', headers: {}, reused: true, responseStarted: false, error: stale, timedOut: false };

describe("Go's retry rule", () => {
  it('idempotent methods, or an Idempotency-Key / X-Idempotency-Key header, are replayable', () => {
    for (const m of ['GET', 'HEAD', 'OPTIONS', 'TRACE']) expect(isReplayable(m, {})).toBe(true);
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(isReplayable(m, {})).toBe(false);
    expect(isReplayable('POST', { 'idempotency-key': 'a' })).toBe(true);
    expect(isReplayable('PATCH', { 'x-idempotency-key': 'a' })).toBe(true);
    expect(isReplayable('POST', undefined)).toBe(false);
  });

  it('retries only a replayable request that failed on a reused connection before any response byte', () => {
    expect(shouldRetry(base)).toBe(true);
    expect(shouldRetry({ ...base, error: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) })).toBe(true);
    expect(shouldRetry({ ...base, error: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) })).toBe(true);
    expect(shouldRetry({ ...base, reused: false })).toBe(false);
    expect(shouldRetry({ ...base, responseStarted: true })).toBe(false);
    expect(shouldRetry({ ...base, timedOut: true })).toBe(false);
    expect(shouldRetry({ ...base, method: 'POST' })).toBe(false);
    expect(shouldRetry({ ...base, error: undefined })).toBe(false);
    expect(shouldRetry({ ...base, error: Object.assign(new Error('bad'), { code: 'HPE_INVALID_STATUS' }) })).toBe(false);
  });
});
