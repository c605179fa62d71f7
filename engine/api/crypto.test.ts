import { describe, expect, it } from 'vitest';
import crypto from './crypto.js';

// Expected values: k6's own test vectors (js/modules/k6/crypto tests) and RFC examples.
const HELLO: Record<string, string> = {
  md4: 'aa010fbc1d14c795d86ef98c95479d17',
  md5: '5eb63bbbe01eeed093cb22bb8f5acdc3',
  sha1: '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed',
  sha256: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9',
  sha384: 'fdbd8e75a67f29f701a4e040385e2e23986303ea10239211af907fcbb83578b3e417cb71ce646efd0819dd8c088de1bd',
  sha512: '309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f',
  sha512_224: '22e0d52336f64a998085078b05a6e37b26f8120f43bf4db4c43a64ee',
  sha512_256: '0ac561fac838104e3f2e4ad107b4bee3e938bf15f2b15f009ccccd61a913f017',
  ripemd160: '98c615784ccb5fe5936fbc0cbe9dfdb408d92f0f',
};
const HMAC: Record<string, string> = {
  md4: '92d8f5c302cf04cca0144d7a9feb1596',
  md5: 'e04f2ec05c8b12e19e46936b171c9d03',
  sha1: 'c113b62711ff5d8e8100bbb17b998591af81dc24',
  sha256: '7fd04df92f636fd450bc841c9418e5825c17f33ad9c87c518115a45971f7f77e',
  sha384: 'd331e169e2dcfc742e80a3bf4dcc76d0e6425ab3777a3ac217ac6b2552aad5529ed4d40135b06e53a495ac7425d1e462',
  sha512_224: 'bac4e6256bdbf81d029aec48af4fdd4b14001db6721f07c429a80817',
  sha512_256: 'e3d0763ba92a4f40676c3d5b234d9842b71951e6e0767082cfb3f5e14c124b22',
  sha512: 'cd3146f96a3005024108ff56b025517552435589a4c218411f165da0a368b6f47228b20a1a4bf081e4aae6f07e2790f27194fc77f0addc890e98ce1951cacc9f',
  ripemd160: '00bb4ce0d6afd4c7424c9d01b8a6caa3e749b08b',
};

describe('k6/crypto', () => {
  it('hashes with every algorithm, strings and ArrayBuffers alike', () => {
    for (const [alg, hex] of Object.entries(HELLO)) {
      const fn = (crypto as unknown as Record<string, (i: unknown, e: string) => string>)[alg]!;
      expect(fn('hello world', 'hex'), alg).toBe(hex);
      expect(fn(new TextEncoder().encode('hello world').buffer, 'hex'), alg).toBe(hex);
    }
  });

  it('HMACs with every algorithm, in one call and streamed', () => {
    for (const [alg, hex] of Object.entries(HMAC)) {
      expect(crypto.hmac(alg as never, 'a secret', 'some data to hash', 'hex'), alg).toBe(hex);
      const h = crypto.createHMAC(alg as never, 'a secret');
      h.update('some data ');
      h.update(new TextEncoder().encode('to hash').buffer);
      expect(h.digest('hex'), alg).toBe(hex);
    }
  });

  it('encodes as k6 does, and a digest may be taken repeatedly', () => {
    const h = crypto.createHash('md5');
    h.update('hello world');
    expect(h.digest('hex')).toBe('5eb63bbbe01eeed093cb22bb8f5acdc3');
    expect(h.digest('base64')).toBe('XrY7u+Ae7tCTyyK7j1rNww==');
    expect(h.digest('base64url')).toBe('XrY7u-Ae7tCTyyK7j1rNww==');
    expect(h.digest('base64rawurl')).toBe('XrY7u-Ae7tCTyyK7j1rNww');
    expect([...new Uint8Array(h.digest('binary'))]).toEqual([94, 182, 59, 187, 224, 30, 238, 208, 147, 203, 34, 187, 143, 90, 205, 195]);
    h.update('!');
    expect(h.digest('hex')).toBe(crypto.md5('hello world!', 'hex'));
    const m = crypto.createHMAC('md4', 'k');
    m.update('a');
    expect(m.digest('hex')).toBe(m.digest('hex'));
  });

  it('signs AWS SigV4 keys from binary HMACs (RFC-style chained keys)', () => {
    const sign = (data: string, key: string | ArrayBuffer) => crypto.hmac('sha256', key, data, 'binary');
    const kDate = sign('20120215', 'AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    const kSigning = sign('aws4_request', sign('iam', sign('us-east-1', kDate)));
    expect(crypto.hexEncode(kDate)).toBe('969fbb94feb542b71ede6f87fe4d5fa29c789342b0f407474670f0c2489e0a0d');
    expect(crypto.hexEncode(kSigning)).toBe('f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
  });

  it('rejects unknown algorithms and encodings with k6\'s messages; randomBytes gives an ArrayBuffer', () => {
    expect(() => crypto.createHMAC('sha526' as never, 'x')).toThrow(/Invalid algorithm: sha526/);
    expect(() => crypto.sha256('x', 'hexx' as never)).toThrow(/Invalid output encoding: hexx/);
    const r = crypto.randomBytes(5);
    expect(r).toBeInstanceOf(ArrayBuffer);
    expect(r.byteLength).toBe(5);
    expect(() => crypto.randomBytes(-1)).toThrow(/whole number/);
  });
});
