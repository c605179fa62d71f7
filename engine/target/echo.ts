/** httpbin's echo endpoints (/get, /post, /put, /patch, /delete, /anything): what the request sent, as JSON. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeContent } from '../protocols/http/body.js';
import { fieldsObject, headerObject } from './httpbin-forms.js';
import { readBody, sendJson } from './respond.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text, or as a base64 data URL when it is not UTF-8 (as httpbin does). */
function bodyText(raw: Buffer, type: string): string {
  if (raw.length === 0) return '';
  if (!type.startsWith('application/octet-stream')) {
    try {
      return utf8.decode(raw);
    } catch {
      // binary: fall through
    }
  }
  return `data:application/octet-stream;base64,${raw.toString('base64')}`;
}

/** The parsed body: `json` for JSON, `form` and `files` for forms; undefined for a malformed multipart body. */
interface ParsedBody {
  json: unknown;
  form: Record<string, string | string[]>;
  files: Record<string, string>;
}

async function parseBody(raw: Buffer, type: string): Promise<ParsedBody | undefined> {
  const text = raw.toString('utf8');
  let json: unknown = null;
  let form: Record<string, string | string[]> = {};
  const files: Record<string, string> = {};
  if (type.includes('json')) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  } else if (type.includes('x-www-form-urlencoded')) form = fieldsObject(new URLSearchParams(text));
  else if (type.includes('multipart/form-data')) {
    let parsed: FormData;
    try {
      parsed = await new Response(raw, { headers: { 'content-type': type } }).formData();
    } catch {
      return undefined;
    }
    const fields: Array<[string, string]> = [];
    for (const [name, value] of parsed) {
      if (typeof value === 'string') fields.push([name, value]);
      else files[name] = bodyText(Buffer.from(await value.arrayBuffer()), value.type);
    }
    form = fieldsObject(fields);
  }
  return { json, form, files };
}

/** JSON echo of the request: method, url, query args, headers and the body (decoded when compressed). */
export async function echo(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  let raw = await readBody(req);
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    try {
      raw = decodeContent(raw, encoding);
    } catch {
      return sendJson(res, 400, { error: `cannot decode the request body (Content-Encoding: ${encoding})` });
    }
  }
  const type = req.headers['content-type'] ?? '';
  const parsed = await parseBody(raw, type);
  if (parsed === undefined) return sendJson(res, 400, { error: 'malformed multipart/form-data body' });
  sendJson(res, 200, {
    method: req.method,
    url: url.pathname + url.search,
    args: fieldsObject(url.searchParams),
    headers: headerObject(req),
    data: bodyText(raw, type),
    size: raw.length,
    json: parsed.json,
    form: parsed.form,
    files: parsed.files,
    origin: req.socket.remoteAddress,
  });
}
