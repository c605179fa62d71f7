/**
 * `import crypto from 'loadts/crypto'` (also 'k6/crypto'): k6's hashing API, on node:crypto
 * (MD4 from js-md4: Node 20's OpenSSL has it only in the legacy provider).
 * @module loadts/crypto
 */
import { createHash as nodeHash, createHmac as nodeHmac, randomBytes as nodeRandomBytes, type Hash } from 'node:crypto';
import { hmacMd4Digest, md4Digest } from '../crypto/md4.js';

/** k6's algorithm names. */
export type Algorithm = 'md4' | 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'sha512_224' | 'sha512_256' | 'ripemd160';
/** k6's output encodings: text forms, or 'binary' for an ArrayBuffer. */
export type OutputEncoding = 'hex' | 'base64' | 'base64url' | 'base64rawurl' | 'binary';
/** What a digest returns for an encoding. */
export type Output<E extends OutputEncoding> = E extends 'binary' ? ArrayBuffer : string;
/** What can be hashed: text (UTF-8) or bytes. */
export type Input = string | ArrayBuffer | ArrayBufferView | readonly number[];

const NODE_NAMES: Readonly<Record<Exclude<Algorithm, 'md4'>, string>> = {
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  sha512_224: 'sha512-224',
  sha512_256: 'sha512-256',
  ripemd160: 'ripemd160',
};

function checkAlgorithm(algorithm: unknown): Algorithm {
  if (algorithm === 'md4' || (typeof algorithm === 'string' && Object.hasOwn(NODE_NAMES, algorithm))) return algorithm as Algorithm;
  throw new Error(`Invalid algorithm: ${String(algorithm)} (one of md4, ${Object.keys(NODE_NAMES).join(', ')})`);
}

function bytes(input: Input): Buffer {
  if (typeof input === 'string') return Buffer.from(input, 'utf8');
  if (input instanceof ArrayBuffer) return Buffer.from(input);
  if (ArrayBuffer.isView(input)) return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (Array.isArray(input)) return Buffer.from(input);
  throw new TypeError(`crypto: cannot hash a ${input === null ? 'null' : typeof input} (a string, ArrayBuffer or typed array)`);
}

function encode<E extends OutputEncoding>(sum: Buffer, encoding: E): Output<E> {
  switch (encoding) {
    case 'hex':
      return sum.toString('hex') as Output<E>;
    case 'base64':
      return sum.toString('base64') as Output<E>;
    case 'base64url': {
      // Go's base64.URLEncoding: the URL alphabet, padded
      const raw = sum.toString('base64url');
      return (raw + '='.repeat((4 - (raw.length % 4)) % 4)) as Output<E>;
    }
    case 'base64rawurl':
      return sum.toString('base64url') as Output<E>;
    case 'binary':
      return sum.buffer.slice(sum.byteOffset, sum.byteOffset + sum.byteLength) as Output<E>;
    default:
      throw new Error(`Invalid output encoding: ${String(encoding)} (hex, base64, base64url, base64rawurl or binary)`);
  }
}

/**
 * A hash (or HMAC) that can be fed data repeatedly; `digest` may be called any number of times, each
 * giving the digest of everything fed so far (k6's Hasher).
 */
export class Hasher {
  readonly #algorithm: Algorithm;
  readonly #key: Buffer | undefined;
  /** Plain hashes on node:crypto: copied at each digest. */
  readonly #hash: Hash | undefined;
  /** HMACs and MD4: the data, replayed at each digest (node's Hmac cannot be copied). */
  readonly #chunks: Buffer[] = [];

  /** @internal use createHash / createHMAC */
  constructor(algorithm: Algorithm, key?: Buffer) {
    this.#algorithm = algorithm;
    this.#key = key;
    if (key === undefined && algorithm !== 'md4') this.#hash = nodeHash(NODE_NAMES[algorithm]);
  }

  /** Adds data (a string is hashed as UTF-8). */
  update(input: Input): void {
    const b = bytes(input);
    if (this.#hash !== undefined) this.#hash.update(b);
    else this.#chunks.push(Buffer.from(b));
  }

  /** The digest of all data so far, in `encoding`. */
  digest<E extends OutputEncoding>(encoding: E): Output<E> {
    return encode(this.#sum(), encoding);
  }

  #sum(): Buffer {
    if (this.#hash !== undefined) return this.#hash.copy().digest();
    const alg = this.#algorithm;
    if (this.#key === undefined) return md4Digest(this.#chunks);
    if (alg === 'md4') return hmacMd4Digest(this.#key, this.#chunks);
    const mac = nodeHmac(NODE_NAMES[alg], this.#key);
    for (const c of this.#chunks) mac.update(c);
    return mac.digest();
  }
}

/** A Hasher for `algorithm`. */
export function createHash(algorithm: Algorithm): Hasher {
  return new Hasher(checkAlgorithm(algorithm));
}

/** An HMAC Hasher for `algorithm` keyed with `secret`. */
export function createHMAC(algorithm: Algorithm, secret: Input): Hasher {
  return new Hasher(checkAlgorithm(algorithm), Buffer.from(bytes(secret)));
}

/** HMAC of `data` with `secret`. */
export function hmac<E extends OutputEncoding>(algorithm: Algorithm, secret: Input, data: Input, outputEncoding: E): Output<E> {
  const h = createHMAC(algorithm, secret);
  h.update(data);
  return h.digest(outputEncoding);
}

function hashWith(algorithm: Algorithm) {
  return <E extends OutputEncoding>(input: Input, outputEncoding: E): Output<E> => {
    const h = createHash(algorithm);
    h.update(input);
    return h.digest(outputEncoding);
  };
}

export const md4 = hashWith('md4');
export const md5 = hashWith('md5');
export const sha1 = hashWith('sha1');
export const sha256 = hashWith('sha256');
export const sha384 = hashWith('sha384');
export const sha512 = hashWith('sha512');
export const sha512_224 = hashWith('sha512_224');
export const sha512_256 = hashWith('sha512_256');
export const ripemd160 = hashWith('ripemd160');

/** `size` cryptographically random bytes. */
export function randomBytes(size: number): ArrayBuffer {
  if (!Number.isInteger(size) || size < 0) throw new Error(`randomBytes() needs a whole number of bytes >= 0, got ${String(size)}`);
  const b = nodeRandomBytes(size);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
}

/** Hex text of a string's UTF-8 bytes or of bytes (k6's crypto.hexEncode). */
export function hexEncode(data: Input): string {
  return bytes(data).toString('hex');
}

export default { createHash, createHMAC, hmac, md4, md5, sha1, sha256, sha384, sha512, sha512_224, sha512_256, ripemd160, randomBytes, hexEncode, Hasher };
