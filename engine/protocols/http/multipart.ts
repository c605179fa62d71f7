import { randomBytes } from 'node:crypto';

/** What http.file() accepts as content. */
export type FileContent = string | ArrayBuffer | ArrayBufferView;

/**
 * A file to upload (k6's `http.file(data, filename?, contentType?)`): an object body with a FileData
 * value is sent as multipart/form-data, with this value as a file part.
 */
export class FileData {
  readonly data: FileContent;
  readonly filename: string;
  readonly content_type: string;

  /**
   * @param filename default: a timestamp, as k6 does
   * @param contentType default: application/octet-stream
   */
  constructor(data: FileContent, filename?: string, contentType?: string) {
    if (typeof data !== 'string' && !(data instanceof ArrayBuffer) && !ArrayBuffer.isView(data)) {
      throw new TypeError(`http.file() takes a string, ArrayBuffer or typed array, got ${data === null ? 'null' : typeof data}`);
    }
    this.data = data;
    this.filename = filename === undefined || filename === '' ? String(Date.now() * 1_000_000) : String(filename);
    this.content_type = contentType === undefined || contentType === '' ? 'application/octet-stream' : String(contentType);
  }

  /** The content as bytes (not copied for binary data). */
  bytes(): Buffer {
    const d = this.data;
    if (typeof d === 'string') return Buffer.from(d, 'utf8');
    if (d instanceof ArrayBuffer) return Buffer.from(d);
    return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  }
}

/** A field of a form body: a value, a file, or several of them. */
export type FormValue = string | number | boolean | FileData;

/** Whether an object body has a file among its values (then it goes as multipart/form-data). */
export function hasFile(fields: Record<string, unknown>): boolean {
  for (const key of Object.keys(fields)) {
    const v = fields[key];
    if (v instanceof FileData) return true;
    if (Array.isArray(v) && v.some((x) => x instanceof FileData)) return true;
  }
  return false;
}

/** Go's escapeQuotes for Content-Disposition parameters. */
function quote(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** A random multipart boundary (60 hex digits, as Go's mime/multipart writer makes). */
export function newBoundary(): string {
  return randomBytes(30).toString('hex');
}

/**
 * Encodes `fields` as multipart/form-data (RFC 7578): one part per value (array values give one
 * part each, under the same name), files with their filename and content type. Returns the body
 * and the Content-Type with its boundary.
 */
export function encodeMultipart(fields: Record<string, FormValue | ReadonlyArray<FormValue> | undefined>, boundary = newBoundary()): { body: Buffer; contentType: string } {
  const parts: Buffer[] = [];
  const add = (name: string, v: FormValue): void => {
    let head = `--${boundary}\r\n`;
    if (v instanceof FileData) {
      head += `Content-Disposition: form-data; name="${quote(name)}"; filename="${quote(v.filename)}"\r\nContent-Type: ${v.content_type}\r\n\r\n`;
      parts.push(Buffer.from(head, 'utf8'), v.bytes(), Buffer.from('\r\n'));
    } else {
      head += `Content-Disposition: form-data; name="${quote(name)}"\r\n\r\n${String(v)}\r\n`;
      parts.push(Buffer.from(head, 'utf8'));
    }
  };
  for (const name of Object.keys(fields)) {
    const v = fields[name];
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v as ReadonlyArray<FormValue>) add(name, item);
    else add(name, v as FormValue);
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
