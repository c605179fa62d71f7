import { randomUUID } from 'node:crypto';
import { formatExecutionSegment, formatSequence, type Fraction } from '../options/segment.js';
import type { ResolvedOptions } from '../options/types.js';
import type { WorkerStatus } from '../runtime/protocol.js';
import type { StopState } from '../runtime/run-end.js';
import type { InstancePhase, JoinRequest, JoinResponse, Report, ReportReply } from './protocol.js';

/** A slot's state: free until an instance joins; lost when it stopped reporting after the start. */
export type SlotState = 'free' | InstancePhase | 'lost';

/** One instance's place in the fleet: its segment, and what the coordinator knows of it. */
export interface Slot {
  readonly index: number;
  readonly segment: string;
  state: SlotState;
  name: string;
  session: string;
  /** performance.now() of its last call. */
  lastHeardPerf: number;
  closedBeforeMs: number;
  status: WorkerStatus | undefined;
  durationMs: number | undefined;
  /** Its worker threads. */
  workers: number | undefined;
  /** The sequence number of the next interval it sends (earlier ones are merged: a resend is skipped). */
  nextSeq: number;
}

/** What instances get from the coordinator once the test is prepared. */
export interface PublishedTest {
  options: ResolvedOptions;
  env: Record<string, string>;
  scriptPath: string;
  bundleCode: string;
  apiDirUrl: string;
  bundleSha256: string;
  originMs: number;
  seriesIntervalMs: number;
}

/** An answer the server sends as is: an HTTP status and a body. */
export interface Answer {
  status: number;
  body: unknown;
}

/**
 * The coordinator's bookkeeping of its fleet: N slots, slot i runs segment i/N:(i+1)/N. It hands
 * out slots (an Indexed Job's pod asks for its index), refuses late, extra and mismatched
 * instances in one line each, takes reports, and says what to do next in each reply (setup()'s
 * data, the start time, a stop). Plain logic: the HTTP server and the load phase drive it.
 */
export class FleetBoard {
  readonly slots: Slot[];
  readonly sequence: string;
  #test: PublishedTest | undefined;
  #setup: { data: unknown } | undefined;
  #startAtMs: number | undefined;
  #stop: { state: StopState; message: string } | undefined;

  constructor(
    readonly instances: number,
    readonly lostAfterMs: number,
    readonly loadtsVersion: string,
    private readonly onReport: (slot: Slot, report: Report) => void,
  ) {
    const points: Fraction[] = Array.from({ length: instances + 1 }, (_, i) => ({ num: i, den: instances }));
    const reduced = points.map((p) => reduce(p));
    this.sequence = formatSequence(reduced);
    this.slots = reduced.slice(0, -1).map((from, index) => ({
      index,
      segment: formatExecutionSegment({ from, to: reduced[index + 1]! }),
      state: 'free',
      name: '',
      session: '',
      lastHeardPerf: 0,
      closedBeforeMs: 0,
      status: undefined,
      durationMs: undefined,
      workers: undefined,
      nextSeq: 0,
    }));
  }

  /** Opens the fleet to joins: the test is prepared. */
  publish(test: PublishedTest): void {
    this.#test = test;
  }

  get test(): PublishedTest | undefined {
    return this.#test;
  }

  setSetupData(data: unknown): void {
    this.#setup = { data };
  }

  start(atMs: number): void {
    this.#startAtMs = atMs;
  }

  get startAtMs(): number | undefined {
    return this.#startAtMs;
  }

  /** Tells every instance to stop, in its next reply. */
  stop(state: StopState, message: string): void {
    this.#stop ??= { state, message };
  }

  /** True when every slot has reached `phase` (or gone past it). */
  allAt(phase: 'prepared' | 'ready'): boolean {
    const past: SlotState[] = phase === 'prepared' ? ['prepared', 'ready', 'running', 'done'] : ['ready', 'running', 'done'];
    return this.slots.every((s) => past.includes(s.state));
  }

  /** True when no slot runs any more (each is done, failed or lost). */
  allEnded(): boolean {
    return this.slots.every((s) => s.state === 'done' || s.state === 'failed' || s.state === 'lost');
  }

  join(req: JoinRequest): Answer {
    const test = this.#test;
    if (test === undefined) return { status: 503, body: { error: 'the coordinator is still preparing the test', retry: true } };
    const who = `instance ${JSON.stringify(req.name)}`;
    if (req.loadtsVersion !== this.loadtsVersion) {
      return refuse(`${who} runs loadts ${req.loadtsVersion}, the coordinator ${this.loadtsVersion}: every instance must run the same loadts (the same image)`);
    }
    if (this.#startAtMs !== undefined) return refuse(`${who} is late: the test started at ${new Date(this.#startAtMs).toISOString()}, and an instance that joins after the start is refused`);
    if (this.#stop !== undefined) return refuse(`${who} is refused: the test is stopping (${this.#stop.message})`);
    const slot = this.#slotFor(req);
    if (typeof slot === 'string') return refuse(`${who} is refused: ${slot}`);
    Object.assign(slot, { state: 'joined', name: req.name, session: randomUUID(), lastHeardPerf: performance.now(), closedBeforeMs: 0, status: undefined, nextSeq: 0 });
    const body: JoinResponse = {
      index: slot.index,
      session: slot.session,
      instances: this.instances,
      segment: slot.segment,
      sequence: this.sequence,
      options: { ...test.options, executionSegment: slot.segment, executionSegmentSequence: this.sequence },
      env: test.env,
      scriptPath: test.scriptPath,
      apiDirUrl: test.apiDirUrl,
      bundleSha256: test.bundleSha256,
      originMs: test.originMs,
      seriesIntervalMs: test.seriesIntervalMs,
      lostAfterMs: this.lostAfterMs,
    };
    return { status: 200, body };
  }

  /** The slot a join gets, or why none. A free slot, or one whose instance was lost before the start. */
  #slotFor(req: JoinRequest): Slot | string {
    if (req.index !== undefined) {
      const slot = this.slots[req.index];
      if (slot === undefined || !Number.isInteger(req.index)) return `index ${req.index} is out of range: the fleet has ${this.instances} instances (0 to ${this.instances - 1})`;
      if (slot.state !== 'free') return `slot ${req.index} is taken by instance ${JSON.stringify(slot.name)}`;
      return slot;
    }
    return this.slots.find((s) => s.state === 'free') ?? `the fleet is full (${this.instances} instances)`;
  }

  report(r: Report): Answer {
    const slot = this.slots[r.index];
    if (slot === undefined || slot.session !== r.session) return { status: 410, body: { error: 'this instance is not part of the fleet (replaced by another, or the coordinator restarted)' } };
    if (slot.state === 'lost') return { status: 410, body: { error: `the coordinator declared this instance lost (no report for ${this.lostAfterMs / 1000} s); its segment is missing from the fleet's results` } };
    slot.lastHeardPerf = performance.now();
    slot.state = r.phase;
    slot.closedBeforeMs = Math.max(slot.closedBeforeMs, r.closedBeforeMs);
    if (r.status !== undefined) slot.status = r.status;
    if (r.durationMs !== undefined) slot.durationMs = r.durationMs;
    if (r.workers !== undefined) slot.workers = r.workers;
    const fresh = r.intervals.slice(Math.max(0, slot.nextSeq - r.firstSeq));
    slot.nextSeq = Math.max(slot.nextSeq, r.firstSeq + r.intervals.length);
    this.onReport(slot, { ...r, intervals: fresh });
    const reply: ReportReply = {};
    if (this.#stop !== undefined) reply.stop = this.#stop;
    if (r.phase === 'prepared' && this.#setup !== undefined) reply.setup = this.#setup;
    if (this.#startAtMs !== undefined) reply.startAtMs = this.#startAtMs;
    return { status: 200, body: reply };
  }

  /**
   * Slots silent for lostAfterMs: before the start they are freed (a restarted pod may take its
   * slot again), after it they are lost. Returns the slots that changed, as they were.
   */
  checkSilence(nowPerf: number): Slot[] {
    const changed: Slot[] = [];
    for (const s of this.slots) {
      if (s.state === 'free' || s.state === 'done' || s.state === 'failed' || s.state === 'lost') continue;
      if (nowPerf - s.lastHeardPerf <= this.lostAfterMs) continue;
      changed.push({ ...s });
      if (this.#startAtMs === undefined) Object.assign(s, { state: 'free', name: '', session: '' });
      else s.state = 'lost';
    }
    return changed;
  }
}

function refuse(error: string): Answer {
  return { status: 409, body: { error } };
}

function reduce(f: Fraction): Fraction {
  let a = f.num;
  let b = f.den;
  while (b !== 0) [a, b] = [b, a % b];
  return a === 0 ? { num: 0, den: 1 } : { num: f.num / a, den: f.den / a };
}
