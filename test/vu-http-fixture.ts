import { VuHttp, type HttpClientConfig, type HttpSample } from '../engine/protocols/http/client.js';

/** The client settings the HTTP unit tests start from (k6's defaults, a short timeout). */
export const TEST_HTTP_CONFIG: HttpClientConfig = {
  userAgent: 'loadts-test',
  discardResponseBodies: false,
  noConnectionReuse: false,
  defaultTimeoutMs: 10_000,
  maxRedirects: 10,
  insecureSkipTLSVerify: false,
  hosts: {},
};

/**
 * VU clients for a test file: `vu()` makes one (over `defaults`) that records its samples, and
 * `closeAll()` (for afterEach/afterAll) closes every one made since.
 */
export function vuClients(defaults: Partial<HttpClientConfig> = {}): {
  vu: (config?: Partial<HttpClientConfig>) => { http: VuHttp; samples: HttpSample[] };
  closeAll: () => Promise<void>;
} {
  const open: VuHttp[] = [];
  return {
    vu: (config = {}) => {
      const samples: HttpSample[] = [];
      const http = new VuHttp({ ...TEST_HTTP_CONFIG, ...defaults, ...config }, (s) => samples.push(s));
      open.push(http);
      return { http, samples };
    },
    closeAll: async () => {
      await Promise.all(open.splice(0).map((h) => h.close()));
    },
  };
}
