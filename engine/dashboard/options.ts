import { LoadtsError } from '../errors.js';
import { parseDuration } from '../options/duration.js';
import { parseBooleanText, parseIntegerText } from '../options/option-text.js';

/** The web dashboard's settings (k6's names and defaults, docs/dashboard.md). */
export interface DashboardOptions {
  /** Address to listen on: loopback unless told otherwise. */
  host: string;
  /** 5665; 0 for any free port; -1 for no server (only the export). */
  port: number;
  /** How often the page is updated, ms (k6: 10s). */
  periodMs: number;
  /** Open the page in the default browser at start. */
  open: boolean;
  /** Write the HTML report here at the end ('' for none). */
  export: string;
  /** After the run, keep serving while a browser is connected, at most this long, ms (0: exit at once). */
  waitMs: number;
}

export const DASHBOARD_DEFAULTS: DashboardOptions = { host: '127.0.0.1', port: 5665, periodMs: 10_000, open: false, export: '', waitMs: 0 };

/** The parameters, as k6's environment variables (K6_WEB_DASHBOARD_<NAME>) and `--out web-dashboard=name=value&...` name them. */
const PARAMS = ['host', 'port', 'period', 'open', 'export', 'wait'] as const;
type Param = (typeof PARAMS)[number];

/** `report` is the older name of `export` in xk6-dashboard; k6 still reads it. */
const ALIASES: Record<string, Param> = { report: 'export' };

function apply(opts: DashboardOptions, name: Param, raw: string, where: string): void {
  const ctx = { where, code: 'INVALID_OPTION' as const };
  switch (name) {
    case 'host':
      opts.host = raw.trim();
      return;
    case 'port': {
      const port = parseIntegerText(raw, ctx);
      if (port < -1 || port > 65535) throw new LoadtsError('INVALID_OPTION', `invalid ${where}: ${port} is not a port (0 for any free one, -1 for no server)`);
      opts.port = port;
      return;
    }
    case 'period': {
      const ms = parseDuration(raw, where);
      if (ms < 100) throw new LoadtsError('INVALID_OPTION', `invalid ${where}: ${raw} is shorter than 100ms`);
      opts.periodMs = ms;
      return;
    }
    case 'open':
      opts.open = raw.trim() === '' || parseBooleanText(raw, ctx);
      return;
    case 'export':
      opts.export = raw.trim();
      return;
    case 'wait': {
      const text = raw.trim().toLowerCase();
      opts.waitMs = text === '' || text === 'true' ? Number.POSITIVE_INFINITY : text === 'false' ? 0 : parseDuration(raw, where);
      return;
    }
  }
}

/**
 * The dashboard's options: defaults, then K6_WEB_DASHBOARD_* (LOADTS_WEB_DASHBOARD_* wins), then the
 * `--out web-dashboard=` argument, a query string as in k6 (`port=0&period=1s&export=report.html`).
 * @throws LoadtsError INVALID_OPTION naming the variable or parameter
 */
export function dashboardOptions(env: Readonly<Record<string, string | undefined>>, arg: string | undefined): DashboardOptions {
  const opts = { ...DASHBOARD_DEFAULTS };
  for (const name of PARAMS) {
    for (const prefix of ['K6_', 'LOADTS_']) {
      const variable = `${prefix}WEB_DASHBOARD_${name.toUpperCase()}`;
      const raw = env[variable];
      if (raw !== undefined && raw.trim() !== '') apply(opts, name, raw, `environment variable ${variable}`);
    }
  }
  if (arg !== undefined && arg.trim() !== '') {
    for (const [key, value] of new URLSearchParams(arg)) {
      const name = (ALIASES[key] ?? key) as Param;
      if (!PARAMS.includes(name)) throw new LoadtsError('INVALID_OPTION', `--out web-dashboard: unknown parameter ${JSON.stringify(key)} (parameters: ${PARAMS.join(', ')})`);
      apply(opts, name, value, `--out web-dashboard parameter ${key}`);
    }
  }
  return opts;
}

/** Whether K6_WEB_DASHBOARD / LOADTS_WEB_DASHBOARD (LOADTS_ wins) turns the dashboard on. */
export function dashboardFromEnv(env: Readonly<Record<string, string | undefined>>): { on: boolean; variable: string } {
  const variable = env.LOADTS_WEB_DASHBOARD !== undefined ? 'LOADTS_WEB_DASHBOARD' : 'K6_WEB_DASHBOARD';
  const raw = env[variable];
  if (raw === undefined || raw.trim() === '') return { on: false, variable };
  return { on: parseBooleanText(raw, { where: `environment variable ${variable}`, code: 'INVALID_OPTION' }), variable };
}
