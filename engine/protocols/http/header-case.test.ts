import { describe, expect, it } from 'vitest';
import { canonicalHeaderList, canonicalHeaderName } from './header-case.js';

describe("canonical header names (Go's textproto.CanonicalMIMEHeaderKey)", () => {
  it('upper-cases the first letter and each after a dash, lower-cases the rest', () => {
    expect(canonicalHeaderName('x-test')).toBe('X-Test');
    expect(canonicalHeaderName('CONTENT-TYPE')).toBe('Content-Type');
    expect(canonicalHeaderName('user-agent')).toBe('User-Agent');
    expect(canonicalHeaderName('x-api_key')).toBe('X-Api_key');
    expect(canonicalHeaderName('www-authenticate')).toBe('Www-Authenticate');
    expect(canonicalHeaderName('dnt')).toBe('Dnt');
    expect(canonicalHeaderName('x--1a')).toBe('X--1a');
  });

  it('leaves a name with non-token characters as it is; the flat list for undici', () => {
    expect(canonicalHeaderName('bad name')).toBe('bad name');
    expect(canonicalHeaderList({ 'x-a': '1', accept: '*/*' })).toEqual(['X-A', '1', 'Accept', '*/*']);
  });
});
