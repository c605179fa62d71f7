/**
 * Redaction of secret values (k6/secrets) from everything loadts prints. Once values are set,
 * this thread's process.stdout and process.stderr writes have every occurrence replaced with
 * k6's `***SECRET_REDACTED***`: log lines, console output, error messages, whoever writes them.
 * With no secrets nothing is wrapped, so a run without --secret-source pays nothing.
 */
export const REDACTED = '***SECRET_REDACTED***';

let pattern: RegExp | undefined;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `text` with every secret value replaced. */
export function redact(text: string): string {
  return pattern === undefined ? text : text.replace(pattern, REDACTED);
}

type Write = (chunk: unknown, encoding?: unknown, cb?: unknown) => boolean;
const wrapped = new WeakSet<NodeJS.WritableStream>();

function wrap(stream: NodeJS.WritableStream): void {
  if (wrapped.has(stream)) return;
  wrapped.add(stream);
  const original = stream.write.bind(stream) as Write;
  const write: Write = (chunk, encoding, cb) => {
    if (pattern !== undefined) {
      if (typeof chunk === 'string') chunk = redact(chunk);
      else if (chunk instanceof Uint8Array) {
        const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
        const clean = redact(text);
        if (clean !== text) chunk = Buffer.from(clean);
      }
    }
    return original(chunk, encoding, cb);
  };
  (stream as { write: Write }).write = write;
}

/** Redacts `values` (longest first, so a secret containing another is hidden whole) from now on. */
export function redactSecrets(values: Iterable<string>): void {
  const list = [...new Set([...values].filter((v) => v !== ''))].sort((a, b) => b.length - a.length);
  if (list.length === 0) return;
  pattern = new RegExp(list.map(escape).join('|'), 'g');
  wrap(process.stdout);
  wrap(process.stderr);
}
