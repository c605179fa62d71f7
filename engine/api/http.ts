/**
 * `import http from 'loadts/http'` (also 'k6/http'). k6's HTTP API, async: `await http.get(url)`.
 * Network failures do not throw: the response has status 0, `error` and `error_code`.
 * @module loadts/http
 */
import type { HttpResponse, RequestBody, RequestParams } from '../protocols/http/client.js';
import { requireScope } from '../runtime/context.js';
import { IterationInterrupted } from '../runtime/vu.js';

export type { HttpResponse, RequestBody, RequestParams };

/** Sends one request as the running VU. */
export async function request(method: string, url: string | URL, body?: RequestBody | null, params?: RequestParams): Promise<HttpResponse> {
  const scope = requireScope(`http.${method.toLowerCase()}()`);
  const { vu } = scope;
  if (vu.interrupted) throw new IterationInterrupted();
  const res = await vu.http.request(method.toUpperCase(), String(url), body ?? undefined, params, scope.tags);
  if (vu.interrupted) throw new IterationInterrupted();
  return res;
}

export function get(url: string | URL, params?: RequestParams): Promise<HttpResponse> {
  return request('GET', url, undefined, params);
}
export function head(url: string | URL, params?: RequestParams): Promise<HttpResponse> {
  return request('HEAD', url, undefined, params);
}
export function post(url: string | URL, body?: RequestBody | null, params?: RequestParams): Promise<HttpResponse> {
  return request('POST', url, body, params);
}
export function put(url: string | URL, body?: RequestBody | null, params?: RequestParams): Promise<HttpResponse> {
  return request('PUT', url, body, params);
}
export function patch(url: string | URL, body?: RequestBody | null, params?: RequestParams): Promise<HttpResponse> {
  return request('PATCH', url, body, params);
}
/** DELETE (k6 names it `del`). */
export function del(url: string | URL, body?: RequestBody | null, params?: RequestParams): Promise<HttpResponse> {
  return request('DELETE', url, body, params);
}
export function options(url: string | URL, body?: RequestBody | null, params?: RequestParams): Promise<HttpResponse> {
  return request('OPTIONS', url, body, params);
}

export default { request, get, head, post, put, patch, del, options };
