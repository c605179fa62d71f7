import { describe, expect, it } from 'vitest';
import { dashboardFromEnv, dashboardOptions, DASHBOARD_DEFAULTS } from './options.js';

describe('web dashboard options', () => {
  it("has k6's defaults, on loopback", () => {
    expect(dashboardOptions({}, undefined)).toEqual({ host: '127.0.0.1', port: 5665, periodMs: 10_000, open: false, export: '', waitMs: 0 });
  });

  it('reads K6_WEB_DASHBOARD_* (LOADTS_ wins), then the --out argument as a query string', () => {
    const env = { K6_WEB_DASHBOARD_PORT: '0', LOADTS_WEB_DASHBOARD_PORT: '7000', K6_WEB_DASHBOARD_PERIOD: '2s', K6_WEB_DASHBOARD_EXPORT: 'r.html', K6_WEB_DASHBOARD_OPEN: 'true' };
    expect(dashboardOptions(env, undefined)).toEqual({ ...DASHBOARD_DEFAULTS, port: 7000, periodMs: 2000, export: 'r.html', open: true });
    expect(dashboardOptions(env, 'port=-1&period=1s&report=old-name.html&open')).toMatchObject({ port: -1, periodMs: 1000, export: 'old-name.html', open: true });
    expect(dashboardOptions({}, 'wait').waitMs).toBe(Number.POSITIVE_INFINITY);
    expect(dashboardOptions({ LOADTS_WEB_DASHBOARD_WAIT: '30s' }, undefined).waitMs).toBe(30_000);
  });

  it('refuses a bad value or an unknown parameter in one line naming it', () => {
    expect(() => dashboardOptions({ K6_WEB_DASHBOARD_PORT: 'abc' }, undefined)).toThrow(/K6_WEB_DASHBOARD_PORT.*not a whole number/);
    expect(() => dashboardOptions({}, 'port=70000')).toThrow(/port.*not a port/);
    expect(() => dashboardOptions({}, 'period=10ms')).toThrow(/shorter than 100ms/);
    expect(() => dashboardOptions({}, 'colour=red')).toThrow(/unknown parameter "colour"/);
  });

  it('is turned on by K6_WEB_DASHBOARD=true', () => {
    expect(dashboardFromEnv({ K6_WEB_DASHBOARD: 'true' })).toEqual({ on: true, variable: 'K6_WEB_DASHBOARD' });
    expect(dashboardFromEnv({ K6_WEB_DASHBOARD: 'true', LOADTS_WEB_DASHBOARD: 'false' }).on).toBe(false);
    expect(dashboardFromEnv({}).on).toBe(false);
    expect(() => dashboardFromEnv({ K6_WEB_DASHBOARD: 'maybe' })).toThrow(/K6_WEB_DASHBOARD/);
  });
});
