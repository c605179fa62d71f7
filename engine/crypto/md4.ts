import md4 from 'js-md4';
import { hmac } from '@noble/hashes/hmac';
import { Hash, createHasher } from '@noble/hashes/utils';

/**
 * MD4 for k6/crypto. Node 20's OpenSSL 3 keeps MD4 in its legacy provider, which a running process
 * cannot enable, so the digest comes from js-md4 (its pure-JS path: `create()`, which never asks
 * node:crypto) and HMAC-MD4 from @noble/hashes' HMAC over it.
 */
class Md4Hash extends Hash<Md4Hash> {
  readonly blockLen = 64;
  readonly outputLen = 16;
  #chunks: Uint8Array[] = [];

  update(buf: Uint8Array | string): this {
    this.#chunks.push(typeof buf === 'string' ? new TextEncoder().encode(buf) : buf.slice());
    return this;
  }

  digestInto(out: Uint8Array): void {
    out.set(this.digest());
  }

  digest(): Uint8Array {
    const h = md4.create();
    for (const c of this.#chunks) h.update(c);
    return new Uint8Array(h.arrayBuffer());
  }

  destroy(): void {
    this.#chunks = [];
  }

  _cloneInto(to?: Md4Hash): Md4Hash {
    const copy = to ?? new Md4Hash();
    copy.#chunks = [...this.#chunks];
    return copy;
  }

  clone(): Md4Hash {
    return this._cloneInto();
  }
}

const md4Hasher = createHasher(() => new Md4Hash());

/** MD4 of the concatenated chunks. */
export function md4Digest(chunks: readonly Uint8Array[]): Buffer {
  const h = new Md4Hash();
  for (const c of chunks) h.update(c);
  return Buffer.from(h.digest());
}

/** HMAC-MD4 of the concatenated chunks. */
export function hmacMd4Digest(key: Uint8Array, chunks: readonly Uint8Array[]): Buffer {
  const mac = hmac.create(md4Hasher, key);
  for (const c of chunks) mac.update(c);
  return Buffer.from(mac.digest());
}
