/**
 * What loadts prints never shows a credential: every error, warning, request-failure log, trace
 * and `loadts inspect` output that may carry a URL or headers goes through here.
 *   - a password in a URL: `http://user:pass@host` → `http://user:***@host`
 *   - the values of `Authorization`, `Proxy-Authorization`, `Cookie` and `Set-Cookie` headers → `***`
 * (The `url` tag keeps k6's own masking, `http://****:****@host`.)
 */

export const MASK = '***';

/** Header names (lower case) whose values are never printed. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** `scheme://user:password@` (or `user:password@` at the start of a string without a scheme). */
const URL_PASSWORD = /(^|[^\w.+-])((?:[a-z][a-z0-9+.-]*:)?\/\/[^\s/?#@:]*|^[^\s/?#@:]+):[^\s/?#]*@/gi;

/** A `Name: value` header line (or `"name": "value"` JSON member) of a secret header in free text. */
const HEADER_TEXT = /\b((?:proxy-)?authorization|(?:set-)?cookie)("?\s*[:=]\s*"?)([^"\r\n,}]*)/gi;

/** Whether a header's values are secret. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

/** The URL with its password masked (user name kept); text that is not a URL comes back as is, unless it has `user:pass@`. */
export function redactUrl(url: string): string {
  if (!url.includes('@')) return url;
  return url.replace(URL_PASSWORD, `$1$2:${MASK}@`);
}

/** A copy of `headers` with the values of secret headers masked. */
export function redactHeaders<V extends string | string[] | number | boolean | undefined>(headers: Readonly<Record<string, V>>): Record<string, V | string> {
  const out: Record<string, V | string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = isSecretHeader(name) && value !== undefined ? MASK : value;
  return out;
}

/** Free text (an error message, a log line, JSON) with passwords in URLs and secret header values masked. */
export function redactText(text: string): string {
  let out = text.includes('@') ? text.replace(URL_PASSWORD, `$1$2:${MASK}@`) : text;
  if (/authorization|cookie/i.test(out)) out = out.replace(HEADER_TEXT, `$1$2${MASK}`);
  return out;
}
