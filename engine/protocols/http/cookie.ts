/**
 * One Set-Cookie header, parsed as Go's net/http does it (and so k6): RFC 6265 syntax, quoted values
 * unquoted, attribute names case-insensitive, invalid attributes ignored.
 */
export interface SetCookie {
  name: string;
  value: string;
  /** The Domain attribute as sent ('' when absent). */
  domain: string;
  /** The Path attribute as sent ('' when absent). */
  path: string;
  secure: boolean;
  httpOnly: boolean;
  /** Lower-case SameSite value ('lax', 'strict', 'none'), '' when absent or unknown. */
  sameSite: '' | 'lax' | 'strict' | 'none';
  /**
   * Max-Age as Go reports it: 0 when absent (or invalid), -1 for "delete now" (Max-Age=0 or
   * negative), otherwise seconds.
   */
  maxAgeSec: number;
  /** Expires in ms since the epoch; NaN when absent or unparsable. */
  expiresMs: number;
}

/** RFC 7230 token characters (cookie names). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Go's validCookieValueByte: printable ASCII except '"', ';' and '\\'. */
function validValue(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x3b || c === 0x5c) return false;
  }
  return true;
}

/** A cookie value: surrounding double quotes removed (when allowed); undefined when invalid. */
function cookieValue(raw: string, allowQuotes: boolean): string | undefined {
  let v = raw;
  if (allowQuotes && v.length > 1 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
  return validValue(v) ? v : undefined;
}

/** Whether `name` is a valid cookie name (an RFC 7230 token). */
export function isCookieName(name: string): boolean {
  return TOKEN.test(name);
}

/** Parses one Set-Cookie header line; undefined when the name or value is invalid. */
export function parseSetCookie(line: string): SetCookie | undefined {
  const parts = line.trim().split(';');
  const first = parts[0]!.trim();
  const eq = first.indexOf('=');
  if (eq < 0) return undefined;
  const name = first.slice(0, eq).trim();
  if (!isCookieName(name)) return undefined;
  const value = cookieValue(first.slice(eq + 1).trim(), true);
  if (value === undefined) return undefined;
  const c: SetCookie = { name, value, domain: '', path: '', secure: false, httpOnly: false, sameSite: '', maxAgeSec: 0, expiresMs: Number.NaN };
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!.trim();
    if (p === '') continue;
    const j = p.indexOf('=');
    const key = (j < 0 ? p : p.slice(0, j)).trim().toLowerCase();
    const raw = j < 0 ? '' : p.slice(j + 1).trim();
    const val = cookieValue(raw, false);
    if (val === undefined) continue;
    switch (key) {
      case 'secure':
        c.secure = true;
        break;
      case 'httponly':
        c.httpOnly = true;
        break;
      case 'samesite': {
        const s = val.toLowerCase();
        c.sameSite = s === 'lax' || s === 'strict' || s === 'none' ? s : '';
        break;
      }
      case 'domain':
        c.domain = val;
        break;
      case 'path':
        c.path = val;
        break;
      case 'max-age': {
        // Go: digits only, no leading zero (except "0" itself); zero or negative means delete.
        if (!/^-?\d+$/.test(val) || (val.length > 1 && val.startsWith('0'))) break;
        const secs = Number(val);
        c.maxAgeSec = secs <= 0 ? -1 : secs;
        break;
      }
      case 'expires': {
        const ms = Date.parse(val);
        c.expiresMs = Number.isFinite(ms) ? ms : Number.NaN;
        break;
      }
    }
  }
  return c;
}

/**
 * A value as Go's Request.AddCookie writes it into a Cookie header: quoted when it contains a space
 * or a comma.
 */
export function cookiePairValue(value: string): string {
  return value.includes(' ') || value.includes(',') ? `"${value}"` : value;
}
