import type { UserFrame } from './log.js';
import { thrownFrames } from './thrown.js';

/** An exception that ended VU code, as k6 logs it: the value and its stack (the script's frames). */
export interface FailureReport {
  /** Groups repeats for rate limiting: the error's name and where in the script it was thrown. */
  key: string;
  /** k6's text: 'Error: boom\n\tat default (script.ts:8:11)'; 'oops\n\tat script.ts:4:9' for a thrown string. */
  message: string;
}

/** Describes `e`, thrown by the code of `vu` (undefined outside VUs). */
export function describeFailure(e: unknown, vu: object | undefined, scriptFile: string | undefined): FailureReport {
  const frames = thrownFrames(e, vu, scriptFile);
  const head = e instanceof Error ? (e.message === '' ? e.name : `${e.name}: ${e.message}`) : typeof e === 'string' ? e : describeValue(e);
  const name = e instanceof Error ? e.name : 'thrown';
  return { key: `${name}@${frames[0]?.where ?? head}`, message: head + stackText(frames) };
}

/** k6's stack lines: '\n\tat default (script.ts:8:11)'. */
function stackText(frames: readonly UserFrame[]): string {
  return frames.map((f) => `\n\tat ${f.fn === '' ? f.where : `${f.fn} (${f.where})`}`).join('');
}

function describeValue(v: unknown): string {
  if (v === null || typeof v !== 'object') return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
