import { resolve } from 'node:path';
import { endEvent } from '../../dashboard/end-event.js';
import { DashboardFeed } from '../../dashboard/feed.js';
import { openBrowser } from '../../dashboard/open-browser.js';
import { dashboardOptions, type DashboardOptions } from '../../dashboard/options.js';
import { DashboardServer } from '../../dashboard/server.js';
import { writeReport } from '../../dashboard/write-report.js';
import type { TimeInterval } from '../../metrics/time-series.js';
import { unwritableReason } from '../write-results.js';
import type { Output, OutputEnv, OutputStart, OutputType, RunEnd } from './output.js';

/** How long after a period's end the live page waits for its last interval before sending the tick anyway. */
const TICK_GRACE_MS = 1500;

/**
 * `--out web-dashboard` (or K6_WEB_DASHBOARD=true): the live dashboard on http://127.0.0.1:5665,
 * updated over server-sent events once a period, and (with `export`) the HTML report at the end.
 * The process does not wait for the browser unless `wait` asks it to (docs/dashboard.md).
 */
class WebDashboardOutput implements Output {
  description: string;
  #feed: DashboardFeed | undefined;
  #server: DashboardServer | undefined;
  #url = '';
  #timer: NodeJS.Timeout | undefined;
  #lastEndMs = 0;

  constructor(
    private readonly opts: DashboardOptions,
    private readonly env: OutputEnv,
  ) {
    this.description = `web-dashboard (${opts.port < 0 ? 'no server' : `${opts.host}:${opts.port}`})`;
  }

  async start(info: OutputStart): Promise<void> {
    const { opts } = this;
    const exportPath = this.#exportPath();
    const why = exportPath === undefined ? undefined : unwritableReason(exportPath);
    if (why !== undefined) throw new Error(`cannot write the report ${exportPath}: ${why}`);
    this.#lastEndMs = info.startedAtMs;
    const feed = new DashboardFeed({
      mode: 'live',
      script: info.scriptPath,
      startedAtMs: info.startedAtMs,
      periodMs: opts.periodMs,
      options: info.options,
      defs: info.metrics,
      workers: info.workers,
      cpu: () => info.live?.generatorCpu(),
      loadStartedAtMs: () => info.live?.loadStartedAtMs(),
    });
    this.#feed = feed;
    if (opts.port >= 0) {
      const server = new DashboardServer(feed, `loadts: ${info.scriptPath}`);
      try {
        this.#url = await server.listen(opts.host, opts.port);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new Error(`cannot listen on ${opts.host}:${opts.port}: ${code === 'EADDRINUSE' ? 'the port is in use (K6_WEB_DASHBOARD_PORT=0 for any free one)' : (e as Error).message}`);
      }
      this.#server = server;
      this.description = `web-dashboard (${this.#url})`;
      this.#say(`web dashboard: ${this.#url}`);
      if (opts.open) openBrowser(this.#url, (line) => this.#say(line));
    }
    // Ticks go out when their intervals arrive; this sends them when none does (an idle stretch).
    this.#timer = setInterval(() => feed.advance(Date.now() - TICK_GRACE_MS), Math.min(opts.periodMs, 1000));
    this.#timer.unref();
  }

  addInterval(interval: TimeInterval): void {
    this.#lastEndMs = Math.max(this.#lastEndMs, interval.endMs);
    this.#feed?.addInterval(interval);
  }

  async stop(end: RunEnd): Promise<void> {
    clearInterval(this.#timer);
    const feed = this.#feed;
    if (feed === undefined) return;
    feed.finish(this.#lastEndMs);
    feed.end(endEvent(end.record, feed.levels));
    try {
      const exportPath = this.#exportPath();
      if (exportPath !== undefined) await writeReport(exportPath, end.record);
    } finally {
      await this.#linger();
      await this.#server?.close();
    }
  }

  /** With `wait`: keeps the final page up while a browser is connected, at most waitMs. */
  async #linger(): Promise<void> {
    const server = this.#server;
    if (server === undefined || this.opts.waitMs <= 0 || server.connections === 0) return;
    const limit = Number.isFinite(this.opts.waitMs) ? ` (at most ${Math.round(this.opts.waitMs / 1000)} s)` : '';
    this.#say(`web dashboard: the test is over; ${this.#url} stays up until its browser tab closes${limit}, or Ctrl-C`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => {
      if (Number.isFinite(this.opts.waitMs)) timer = setTimeout(r, this.opts.waitMs);
    });
    await Promise.race([server.idle(), timeout]);
    clearTimeout(timer);
  }

  #exportPath(): string | undefined {
    return this.opts.export === '' ? undefined : resolve(this.env.cwd, this.opts.export);
  }

  #say(line: string): void {
    (this.env.say ?? ((l: string) => process.stderr.write(`${l}\n`)))(line);
  }
}

export const webDashboardOutput: OutputType = {
  name: 'web-dashboard',
  help: 'the live web dashboard (127.0.0.1:5665; K6_WEB_DASHBOARD_*), and the HTML report with export=FILE',
  wantsSamples: false,
  create(arg: string | undefined, env: OutputEnv): Output {
    return new WebDashboardOutput(dashboardOptions(env.env, arg), env);
  },
};
