/**
 * Header names as Go writes them on HTTP/1.1 (and so k6): textproto's canonical form, 'X-Test' for
 * 'x-test'. The client keeps names lower-case inside (one spelling for lookups); they are
 * canonicalised as they are written. HTTP/2 sends lower case, by the protocol.
 */

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const cache = new Map<string, string>();

/** Go's CanonicalMIMEHeaderKey: the first letter and each one after '-' upper case, the rest lower; a name with other than token characters stays as it is. Cached. */
export function canonicalHeaderName(name: string): string {
  let out = cache.get(name);
  if (out !== undefined) return out;
  out = TOKEN.test(name) ? name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase()) : name;
  if (cache.size < 2_000) cache.set(name, out);
  return out;
}

/** A request's headers as undici's flat [name, value, …] list, names canonical (HTTP/1.1 over undici). */
export function canonicalHeaderList(headers: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const name in headers) out.push(canonicalHeaderName(name), headers[name]!);
  return out;
}
