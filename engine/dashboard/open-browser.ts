import { spawn } from 'node:child_process';

/** Opens `url` in the user's default browser (K6_WEB_DASHBOARD_OPEN); a failure is only reported. */
export function openBrowser(url: string, warn: (line: string) => void): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', (e) => warn(`web dashboard: could not open a browser (${command}: ${e.message}); open ${url} yourself`));
    child.unref();
  } catch (e) {
    warn(`web dashboard: could not open a browser (${(e as Error).message}); open ${url} yourself`);
  }
}
