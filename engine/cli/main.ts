import { loadtsVersion } from '../options/version.js';
import { trace } from '../trace.js';
import { ExitCode, LoadtsError, toError } from '../errors.js';
import { redactText } from '../redact.js';
import type { DemoTarget } from '../target/server.js';
import { parseArgs } from './args.js';
import { helpText } from './help.js';
import { inspect } from './inspect.js';
import { run } from './run-command.js';

/** The package version, from package.json. */
export function version(): string {
  return loadtsVersion();
}

/** `loadts serve`: the demo target in the foreground until Ctrl-C. */
async function serve(port: number, host: string, tls: boolean, h2: boolean): Promise<number> {
  const { startDemoTarget, DEMO_TARGET_ENDPOINTS } = await import('../target/server.js');
  let target: DemoTarget;
  try {
    target = await startDemoTarget({ port, host, tls, h2 });
  } catch (e) {
    // a port in use or not allowed is a flag problem: one line, exit 104
    throw new LoadtsError('INVALID_FLAG', `${toError(e).message} (choose another --port, or --port 0 for any free one)`);
  }
  process.stdout.write(`loadts demo target listening on ${target.url}${h2 ? ' (HTTP/2 and HTTP/1.1)' : ''}\n`);
  if (tls) process.stdout.write('  self-signed certificate generated at start: run tests with insecureSkipTLSVerify: true (or --insecure-skip-tls-verify)\n');
  for (const e of DEMO_TARGET_ENDPOINTS) process.stdout.write(`  ${e.path.padEnd(28)} ${e.description}\n`);
  process.stdout.write('Press Ctrl-C to stop.\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await target.close();
  return ExitCode.OK;
}

/** Runs the `loadts` command line and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const cmd = parseArgs(argv);
    switch (cmd.command) {
      case 'help':
        process.stdout.write(`${helpText(cmd.topic)}\n`);
        return ExitCode.OK;
      case 'version':
        process.stdout.write(`loadts ${version()} (node ${process.version})\n`);
        return ExitCode.OK;
      case 'serve':
        return await serve(cmd.port, cmd.host, cmd.tls === true, cmd.h2 === true);
      case 'summary':
        return await (await import('./summary-command.js')).summaryCommand(cmd.args);
      case 'report':
        return await (await import('./report-command.js')).reportCommand(cmd.args);
      case 'merge':
        return await (await import('./merge-command.js')).mergeCommand(cmd.args);
      case 'fleet':
        return await (await import('../fleet/fleet-command.js')).fleetCommand(cmd.args);
      case 'compare':
        return await (await import('./compare-command.js')).compareCommand(cmd.args);
      case 'capacity':
        return await (await import('./capacity-command.js')).capacityCommand(cmd.args);
      case 'inspect':
        return await inspect(cmd);
      case 'run':
        return await run(cmd);
    }
    return ExitCode.GenericEngine;
  } catch (e) {
    if (e instanceof LoadtsError) {
      process.stderr.write(`error: ${redactText(e.message)}\n`);
      return e.exitCode;
    }
    process.stderr.write(`error: ${redactText(toError(e).stack ?? String(e))}\n`);
    return ExitCode.GenericEngine;
  }
}
