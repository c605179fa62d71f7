import { readFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { SourceMap } from 'node:module';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A worker's function that posts what it has measured (set by segment-task.ts while it runs). */
export const FLUSH_GLOBAL = '__loadtsFlush';

/** How long finding where stuck threads are may take before the run goes on without it. */
const LOOK_MS = 1500;

interface CallFrame {
  functionName: string;
  location: { scriptId: string; lineNumber: number; columnNumber: number };
}

/**
 * Where the JavaScript of stuck worker threads is right now, as the script's `file:line:column`:
 * through the inspector, the main thread pauses each thread (V8 interrupts even a synchronous
 * loop), reads its innermost frame in the bundled script, resumes it and detaches, and the
 * bundle's source map turns the place into one in the user's script. With `flush`, each paused
 * thread is also made to post what it measured since its last report, so terminating it loses
 * nothing. Only used for stuck workers; best effort: threads it cannot reach in time are left out.
 */
export async function whereStuck(threadIds: readonly number[], bundleUrl: string, opts: { flush?: boolean } = {}): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  if (threadIds.length === 0) return found;
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (e, r) => (e ? reject(e) : resolve(r as T))));
  const pending = threadIds.map((id) => String(id));
  const done = new Promise<void>((resolve) => {
    const left = new Set(pending);
    const finish = (id: string) => {
      left.delete(id);
      if (left.size === 0) resolve();
    };
    session.on('NodeWorker.attachedToWorker', ({ params }) => {
      // the inspector numbers workers its own way; the title names the thread ('[worker 3]')
      const id = /\[worker (\d+)\]/.exec(params.workerInfo.title)?.[1] ?? params.workerInfo.workerId;
      if (!left.has(id)) return void post('NodeWorker.detach', { sessionId: params.sessionId }).catch(() => {});
      void pauseOnce(session, post, params.sessionId, bundleUrl, opts.flush === true)
        .then((where) => where !== undefined && found.set(Number(id), where))
        .catch(() => {})
        .finally(() => finish(id));
    });
  });
  try {
    await post('NodeWorker.enable', { waitForDebuggerOnStart: false });
    await Promise.race([done, new Promise((r) => setTimeout(r, LOOK_MS).unref())]);
  } catch {
    // no inspector (a runtime without it): the error message just has no place
  } finally {
    session.disconnect();
  }
  return found;
}

type Post = <T>(method: string, params?: object) => Promise<T>;

/** Pauses one attached thread, reads its frames, resumes and detaches it. */
async function pauseOnce(session: Session, post: Post, sessionId: string, bundleUrl: string, flush: boolean): Promise<string | undefined> {
  let id = 0;
  const send = (method: string, params: object = {}) => post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id: ++id, method, params }) });
  // Debugger.enable announces every script (scriptParsed): frames name theirs by id only.
  const urls = new Map<string, string>();
  const paused = new Promise<CallFrame[]>((resolve) => {
    const onMessage = ({ params }: { params: { sessionId: string; message: string } }) => {
      if (params.sessionId !== sessionId) return;
      const m = JSON.parse(params.message) as { method?: string; params?: { callFrames: CallFrame[]; scriptId: string; url: string } };
      if (m.method === 'Debugger.scriptParsed' && m.params !== undefined) urls.set(m.params.scriptId, m.params.url);
      if (m.method !== 'Debugger.paused') return;
      session.off('NodeWorker.receivedMessageFromWorker', onMessage);
      resolve(m.params?.callFrames ?? []);
    };
    session.on('NodeWorker.receivedMessageFromWorker', onMessage);
  });
  await send('Debugger.enable');
  await send('Debugger.pause');
  const frames = await paused;
  // While it is paused, the thread can still send what it measured (see FLUSH_GLOBAL): nothing is lost.
  if (flush) await send('Runtime.evaluate', { expression: `globalThis.${FLUSH_GLOBAL}?.()` });
  await send('Debugger.resume');
  await send('Debugger.disable');
  await post('NodeWorker.detach', { sessionId });
  const frame = frames.find((f) => urls.get(f.location.scriptId) === bundleUrl);
  return frame === undefined ? undefined : await originalPlace(bundleUrl, frame);
}

/** 'script.ts:12:7' for a place in the bundle, through its inline source map. */
async function originalPlace(bundleUrl: string, frame: CallFrame): Promise<string | undefined> {
  const code = await readFile(fileURLToPath(bundleUrl), 'utf8');
  const m = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  if (m === null) return undefined;
  const map = new SourceMap(JSON.parse(Buffer.from(m[1]!, 'base64').toString('utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  const e = map.findEntry(frame.location.lineNumber, frame.location.columnNumber) as { originalSource?: string; originalLine?: number; originalColumn?: number };
  if (e.originalSource === undefined || e.originalLine === undefined) return undefined;
  return `${basename(e.originalSource)}:${e.originalLine + 1}:${(e.originalColumn ?? 0) + 1}`;
}
