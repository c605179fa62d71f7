import { describe, expect, it } from 'vitest';
import { encodeBody } from './body.js';
import { encodeMultipart, FileData, hasFile } from './multipart.js';

/** Parses a multipart body with undici's (WHATWG fetch) form-data parser. */
async function parse(body: Buffer, contentType: string): Promise<FormData> {
  return new Response(body, { headers: { 'content-type': contentType } }).formData();
}

describe('http.file() and multipart/form-data', () => {
  it('FileData defaults: a timestamp file name and application/octet-stream', () => {
    const f = new FileData('x');
    expect(f.filename).toMatch(/^\d+$/);
    expect(f.content_type).toBe('application/octet-stream');
    expect(new FileData('x', 'a.txt', 'text/plain')).toMatchObject({ filename: 'a.txt', content_type: 'text/plain' });
    expect(() => new FileData(42 as never)).toThrow(/http\.file\(\) takes a string, ArrayBuffer or typed array/);
  });

  it('string, ArrayBuffer and Uint8Array content, byte for byte; fields and repeated fields', async () => {
    const bin = new Uint8Array([0, 1, 2, 255, 13, 10, 45, 45]);
    const { body, contentType } = encodeMultipart({
      title: 'report',
      count: 3,
      tag: ['a', 'b'],
      text: new FileData('héllo\r\n', 'hello.txt', 'text/plain'),
      raw: new FileData(bin.buffer, 'raw.bin'),
      view: new FileData(bin.subarray(2, 5), 'view.bin'),
    });
    expect(contentType).toMatch(/^multipart\/form-data; boundary=[0-9a-f]{60}$/);
    const form = await parse(body, contentType);
    expect(form.get('title')).toBe('report');
    expect(form.get('count')).toBe('3');
    expect(form.getAll('tag')).toEqual(['a', 'b']);
    const text = form.get('text') as File;
    expect(text.name).toBe('hello.txt');
    expect(text.type).toBe('text/plain');
    expect(await text.text()).toBe('héllo\r\n');
    const raw = form.get('raw') as File;
    expect(raw.type).toBe('application/octet-stream');
    expect([...new Uint8Array(await raw.arrayBuffer())]).toEqual([...bin]);
    expect([...new Uint8Array(await (form.get('view') as File).arrayBuffer())]).toEqual([2, 255, 13]);
  });

  it('quotes and backslashes in names are escaped', async () => {
    const { body, contentType } = encodeMultipart({ 'we"ird': new FileData('1', 'a"b.txt') });
    expect(body.toString()).toContain('name="we\\"ird"; filename="a\\"b.txt"');
    expect(contentType).toContain('boundary=');
  });

  it('encodeBody: an object with a file is multipart (content type with boundary), without one a form', () => {
    const h: Record<string, string> = {};
    const buf = encodeBody({ a: '1', f: new FileData('x', 'f.txt') }, h) as Buffer;
    expect(Buffer.isBuffer(buf)).toBe(true);
    expect(h['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(buf.toString()).toContain(h['content-type']!.split('boundary=')[1]!);
    const h2: Record<string, string> = {};
    expect(encodeBody({ a: '1' }, h2)).toBe('a=1');
    expect(h2['content-type']).toBe('application/x-www-form-urlencoded');
    expect(hasFile({ list: [new FileData('x')] })).toBe(true);
    expect(() => encodeBody(new FileData('x') as never, {})).toThrow(/goes inside an object body/);
  });
});
