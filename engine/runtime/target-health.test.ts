import { describe, expect, it } from 'vitest';
import { TagSet } from '../metrics/tags.js';
import { TargetHealth, targetFailureMessage } from './target-health.js';

const failedTags = (url: string, code: string, error: string) =>
  TagSet.EMPTY.with('method', 'GET').with('url', url).with('status', '0').with('error', error).with('error_code', code);

describe('TargetHealth', () => {
  it('counts responses, failures, invalid URLs (logged as errors with the script line) and broken responses', () => {
    const lines: string[] = [];
    const h = new TargetHealth((l) => lines.push(l), () => 'script.ts:7:26');
    h.noteFailed(TagSet.EMPTY.with('status', '503'));
    h.noteFailed(failedTags('undefined/get', '1020', 'invalid URL: not an absolute URL'));
    h.noteFailed(failedTags('undefined/get', '1020', 'invalid URL: not an absolute URL'));
    h.noteFailed(failedTags('http://127.0.0.1:1/x', '1212', 'dial: connection refused'));
    h.noteFailed(failedTags('http://127.0.0.1:2/x', '1000', 'EOF: the server closed the connection'), 4096);
    expect(h.responses).toBe(1);
    expect(h.networkErrors).toBe(4);
    expect(h.invalidUrls).toBe(2);
    expect(h.brokenResponses).toBe(1);
    expect(h.brokenResponseBytes).toBe(4096);
    expect(h.firstError).toBe('GET undefined/get: invalid URL: not an absolute URL (error_code 1020) (at script.ts:7:26)');
    expect(lines[0]).toMatch(/^ERROR request failed: GET undefined\/get: invalid URL: not an absolute URL \(error_code 1020\) \(at script\.ts:7:26\)/);
    expect(lines).toHaveLength(3); // the same line once
    expect(lines[1]).toMatch(/^WARN request failed: GET http:\/\/127\.0\.0\.1:1\/x: dial: connection refused/);
  });
});

describe('the exit-code 111 message says what happened', () => {
  it('every URL invalid: no request was sent', () => {
    expect(targetFailureMessage({ networkErrors: 3, invalidUrls: 3, firstNetworkError: 'GET undefined/get: invalid URL' })).toBe(
      'no HTTP request was sent: the URL of all 3 HTTP requests was invalid, the first: GET undefined/get: invalid URL',
    );
  });

  it('bytes arrived: not "never answered", with how much', () => {
    expect(targetFailureMessage({ networkErrors: 1, brokenResponses: 1, brokenResponseBytes: 1.2e9, firstNetworkError: 'GET /: request timeout' })).toBe(
      'no HTTP request got a complete response: the one HTTP request failed after its response had begun (1.2 GB arrived); the first with GET /: request timeout',
    );
    expect(targetFailureMessage({ networkErrors: 4, brokenResponses: 1, brokenResponseBytes: 10, invalidUrls: 1 })).toMatch(/^no HTTP request got a complete response: all 4 HTTP requests failed, 1 of them after the response had begun \(10 B arrived\); 1 had an invalid URL;/);
  });

  it('nothing arrived: the target never answered', () => {
    expect(targetFailureMessage({ networkErrors: 2, firstNetworkError: 'GET http://x/: dial: connection refused (error_code 1212)' })).toBe(
      'the target never answered: all 2 HTTP requests failed before any response, the first with GET http://x/: dial: connection refused (error_code 1212); is it running, and is the URL (BASE_URL) right?',
    );
  });
});
