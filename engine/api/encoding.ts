/**
 * `import encoding from 'loadts/encoding'` (also 'k6/encoding'): base64 as k6 has it.
 * @module loadts/encoding
 */
type Variant = 'std' | 'rawstd' | 'url' | 'rawurl';

function toBuffer(input: string | ArrayBuffer | Uint8Array): Buffer {
  if (typeof input === 'string') return Buffer.from(input, 'utf8');
  return input instanceof Uint8Array ? Buffer.from(input) : Buffer.from(new Uint8Array(input));
}

/** Base64-encodes a string or bytes. */
export function b64encode(input: string | ArrayBuffer | Uint8Array, encoding: Variant = 'std'): string {
  const url = encoding === 'url' || encoding === 'rawurl';
  let out = toBuffer(input).toString(url ? 'base64url' : 'base64');
  if (url && encoding === 'url') while (out.length % 4 !== 0) out += '=';
  if (encoding === 'rawstd') out = out.replace(/=+$/, '');
  return out;
}

/** Decodes base64; returns an ArrayBuffer, or a string when `format` is 's'. */
export function b64decode(input: string, encoding: Variant = 'std', format?: 's'): ArrayBuffer | string {
  const url = encoding === 'url' || encoding === 'rawurl';
  const buf = Buffer.from(input, url ? 'base64url' : 'base64');
  if (format === 's') return buf.toString('utf8');
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

export default { b64encode, b64decode };
