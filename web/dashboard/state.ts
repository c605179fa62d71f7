import type { DashboardEvent, EndEvent, StartEvent, TickEvent } from '../../engine/dashboard/events.js';

/** Everything the page has been told: a start, the ticks so far, and the end once the run is over. */
export class PageState {
  start: StartEvent | undefined;
  ticks: TickEvent[] = [];
  end: EndEvent | undefined;
  /** Whether the live stream was lost before the end. */
  disconnected = false;
  /** Whether the events came embedded in the file (a report, or a mid-run snapshot from /report). */
  embedded = false;

  apply(e: DashboardEvent): void {
    if (e.type === 'start') {
      // a (re)connection replays everything from the start
      this.start = e;
      this.ticks = [];
      this.end = undefined;
    } else if (e.type === 'tick') this.ticks.push(e);
    else this.end = e;
  }

  get last(): TickEvent | undefined {
    return this.ticks[this.ticks.length - 1];
  }

  /** Names of the metrics of a section ('custom', 'llm', 'sse', ...) of a type. */
  metricsOf(section: string, type: string): string[] {
    return (this.start?.metrics ?? []).filter((m) => m.section === section && m.type === type).map((m) => m.name);
  }
}
