import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../helpers.js';

/** Debian's chromium (.ci/run installs it); LOADTS_CHROMIUM names another. */
export const CHROMIUM = process.env.LOADTS_CHROMIUM ?? '/usr/bin/chromium';

/** Where screenshots go (git-ignored). */
export const ARTIFACTS = join(ROOT, 'test-artifacts');

/**
 * Starts headless Chromium with the flags this machine needs (no sandbox as root, no background
 * networking: a closed network refuses those connections). A missing browser fails the test, never
 * skips it.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium, as .ci/run does) or set LOADTS_CHROMIUM`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** What a page did that a test asserts on: console errors, uncaught exceptions, every request. */
export interface PageLog {
  errors: string[];
  requests: string[];
}

export function watch(page: Page): PageLog {
  const log: PageLog = { errors: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(m.text());
  });
  page.on('pageerror', (e) => log.errors.push(e.message));
  page.on('request', (r) => log.requests.push(r.url()));
  return log;
}

/** Per chart: how many strongly coloured pixels its canvas has (lines, not the grey axes and grid). */
export function chartInk(page: Page): Promise<Array<{ id: string; ink: number; points: number }>> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('figure.chart')].map((fig) => {
      const canvas = fig.querySelector('canvas')!;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) {
        const r = data[i]!;
        const g = data[i + 1]!;
        const b = data[i + 2]!;
        if (data[i + 3]! > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 80) ink++;
      }
      return { id: fig.dataset.chart ?? '', ink, points: Number(fig.dataset.points) };
    }),
  );
}
