import type { Selection } from './selection.js';

/** k6's Response.submitForm() parameters. */
export interface SubmitFormParams<P = unknown> {
  /** The form to submit; default 'form' (the first form). */
  formSelector?: string;
  /** Field values set or overriding the form's own. */
  fields?: Record<string, string | number | boolean | ReadonlyArray<string>>;
  /** The submit button whose name and value are sent; default '[type="submit"]'. */
  submitSelector?: string;
  /** Request params (headers, tags, …) of the submission. */
  params?: P;
}

/** k6's Response.clickLink() parameters. */
export interface ClickLinkParams<P = unknown> {
  /** The link to follow; default 'a[href]' (the first link). */
  selector?: string;
  /** Request params of the request. */
  params?: P;
}

/** The request a submission or a click makes. */
export interface FollowRequest<P> {
  method: string;
  url: string;
  body: Record<string, string | string[]> | null;
  params: P | undefined;
}

function resolve(ref: string, base: string): string {
  try {
    return new URL(ref, base).href;
  } catch {
    throw new Error(`cannot resolve ${JSON.stringify(ref)} against the response URL ${base}`);
  }
}

/**
 * The request that submitting the form makes, as k6 builds it: the form's method (GET by default)
 * and action (resolved against the page; the page itself when absent), its successful fields, the
 * submit button's name and value, then `fields` over them; GET sends them as the query string.
 */
export function formSubmission<P>(page: Selection, pageUrl: string, p: SubmitFormParams<P> = {}): FollowRequest<P> {
  const formSelector = p.formSelector ?? 'form';
  const form = page.find(formSelector);
  if (form.size() === 0) throw new Error(`no form found for selector '${formSelector}' in response '${pageUrl}'`);
  const methodAttr = form.attr('method');
  const method = typeof methodAttr === 'string' && methodAttr !== '' ? methodAttr.toUpperCase() : 'GET';
  const action = form.attr('action');
  const url = typeof action === 'string' && action !== '' ? resolve(action, pageUrl) : pageUrl;
  const values: Record<string, string | string[]> = form.first().serializeObject();
  const submit = form.first().find(p.submitSelector ?? '[type="submit"]').first();
  const submitName = submit.attr('name');
  const submitValue = submit.val();
  if (typeof submitName === 'string' && submitName !== '' && submitValue !== undefined) values[submitName] = submitValue;
  for (const [k, v] of Object.entries(p.fields ?? {})) values[k] = Array.isArray(v) ? v.map(String) : String(v);
  if (method === 'GET') {
    const u = new URL(url);
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(values)) for (const item of Array.isArray(v) ? v : [v]) q.append(k, item);
    u.search = q.toString();
    return { method, url: u.href, body: null, params: p.params };
  }
  return { method, url, body: values, params: p.params };
}

/** The GET that clicking the link makes: its href resolved against the page. */
export function linkClick<P>(page: Selection, pageUrl: string, p: ClickLinkParams<P> = {}): FollowRequest<P> {
  const selector = p.selector ?? 'a[href]';
  const link = page.find(selector);
  if (link.size() === 0) throw new Error(`no element found for selector '${selector}' in response '${pageUrl}'`);
  const href = link.attr('href');
  if (typeof href !== 'string') throw new Error(`no valid href attribute value found on element '${selector}' in response '${pageUrl}'`);
  return { method: 'GET', url: resolve(href, pageUrl), body: null, params: p.params };
}
