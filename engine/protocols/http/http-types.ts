/** The HTTP client's public shapes: the per-test config, k6's request params, and the per-hop sample a sink receives. */
import type { TagSet } from '../../metrics/tags.js';
import type { CookieJar } from './cookie-jar.js';
import type { ExpectedStatusPredicate } from './expected-statuses.js';
import type { RequestCookiesParam } from './request-cookies.js';
import type { ResolvedTlsAuth, ResolvedTlsVersion } from './tls-config.js';
import type { Timings } from './timings.js';
import type { UrlTagGuard } from './url-tag-guard.js';

/** Per-test HTTP settings (from the resolved options). */
export interface HttpClientConfig {
  /** Sent as User-Agent unless the request sets one; '' sends none. */
  userAgent: string;
  /** Default for responseType: 'none' when true, 'text' when false. */
  discardResponseBodies: boolean;
  /** Close every connection after its request (Connection: close), so each request connects. */
  noConnectionReuse: boolean;
  /** Default request timeout (k6: 60 s). Covers all redirect hops. */
  defaultTimeoutMs: number;
  /** Default for params.redirects (k6: 10). */
  maxRedirects: number;
  insecureSkipTLSVerify: boolean;
  /** Host name → 'ip', 'ip:port' or '[ipv6]:port'. Host header and TLS SNI stay the URL's. */
  hosts: Record<string, string>;
  /** The `tlsVersion` option (default: Node's, TLS 1.2 to 1.3). */
  tlsVersion?: ResolvedTlsVersion;
  /** The `tlsAuth` option: client certificates by host. */
  tlsAuth?: ResolvedTlsAuth[];
  /** The `tlsCipherSuites` option (k6 names). */
  tlsCipherSuites?: readonly string[];
  /** Connections per origin a VU may open (the batchPerHost option, default 6; 0: no limit). */
  maxConnectionsPerHost?: number;
  /** Counts distinct url tag values and warns past a limit (default: the thread's shared guard). */
  urlTags?: Pick<UrlTagGuard, 'note'>;
  /** The script's response callback (http.setResponseCallback), read at each request; null: none. */
  responseCallback?: () => ResponseCallback | null;
  /** The maxResponseBodySize option: a longer body is read and counted but not kept, and the response is an error (default 256 MiB). */
  maxResponseBodyBytes?: number;
}

/** Whether a status counts as expected (k6's http.expectedStatuses result). */
export type ResponseCallback = ExpectedStatusPredicate;

/** k6's request params. */
export interface RequestParams {
  headers?: Record<string, string | number | boolean>;
  /** Tags for this request's samples; `name` groups dynamic URLs (and then is the `url` tag too, as in k6). */
  tags?: Record<string, string | number | boolean>;
  /** Total time allowed for the request and its redirects: ms, or a duration string ('10s'). */
  timeout?: number | string;
  /** 'text' (default), 'binary' (ArrayBuffer) or 'none' (body not kept). */
  responseType?: 'text' | 'binary' | 'none';
  /** Redirects to follow (default: the maxRedirects option); 0 returns the 3xx itself. */
  redirects?: number;
  /**
   * Credentials come from the URL's user:pass. 'basic' (the default whenever the URL has them):
   * Basic auth; 'digest': RFC 7616 digest auth, as k6 does it: the request goes without credentials,
   * and a 401 with a Digest challenge is answered once (both requests are measured; the 401 counts
   * as expected).
   */
  auth?: 'basic' | 'digest';
  /** Request-scoped cookies: name → value, or name → { value, replace: true } to override the jar's. */
  cookies?: RequestCookiesParam;
  /** The cookie jar for this request instead of the VU's (from `new http.CookieJar()`). */
  jar?: CookieJar | null;
  /** Request body compression: 'gzip', 'deflate', 'br' or a comma-separated list applied in order; sets Content-Encoding. */
  compression?: string;
  /**
   * Which statuses are expected for this request (default: the config's, else k6's 200-399). null:
   * none, as in k6 the request then has no expected_response tag and never counts as failed.
   */
  responseCallback?: ResponseCallback | null;
}

/** One request's (one redirect hop's) measurements, handed to the metrics sink. */
export interface HttpSample {
  tags: TagSet;
  timings: Timings;
  /** !expected_response (k6's http_req_failed); false when the response callback is null. */
  failed: boolean;
  /** Bytes on the wire: request line, headers and body (and TLS records, on https). */
  bytesSent: number;
  /** Bytes on the wire: status line, headers and body as received (compressed, chunk framing included). */
  bytesReceived: number;
  /** The server said "slow down": 429, or 503 with Retry-After (http_req_rate_limited). */
  rateLimited: boolean;
}

export type HttpSampleSink = (sample: HttpSample) => void;
