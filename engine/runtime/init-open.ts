import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * k6's `open(path, mode?)`: reads a file (a path or a file:// URL) in the init context (module scope), relative to the
 * script's own folder (the user's file, not the bundle in the temp folder), as text (UTF-8) or, with
 * 'b', as an ArrayBuffer. Outside the init context it throws, as in k6: a file is read once per
 * worker, at start-up, never during the load.
 */
let initScript: string | undefined;

/** Marks the script's module evaluation (the init context) as running or over. */
export function setInitContext(scriptPath: string | undefined): void {
  initScript = scriptPath;
}

function bytesToArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** The global open(). */
export function open(path: string, mode?: string): string | ArrayBuffer {
  if (initScript === undefined) {
    throw new Error(
      'open() is only available in the init context (module scope), as in k6: read the file there and keep it in a variable (or a SharedArray)',
    );
  }
  if (typeof path !== 'string' || path === '') throw new TypeError(`open() needs a file path, got ${JSON.stringify(path)}`);
  if (mode !== undefined && mode !== null && mode !== '' && mode !== 'b') {
    throw new TypeError(`open(${JSON.stringify(path)}, ${JSON.stringify(mode)}): the mode is 'b' (an ArrayBuffer) or nothing (text)`);
  }
  const abs = path.startsWith('file://') ? fileURLToPath(path) : isAbsolute(path) ? path : resolve(dirname(initScript), path);
  let data: Buffer;
  try {
    data = readFileSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
    throw new Error(`open(${JSON.stringify(path)}): ${why} (${abs})`);
  }
  return mode === 'b' ? bytesToArrayBuffer(data) : data.toString('utf8');
}

/** Defines the global `open` (the worker thread does it once). */
export function installOpen(): void {
  Object.defineProperty(globalThis, 'open', { value: open, configurable: true, writable: true, enumerable: false });
}
