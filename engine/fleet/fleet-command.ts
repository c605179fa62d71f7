import { ExitCode, LoadtsError } from '../errors.js';
import { parseArgs, type RunCommand } from '../cli/args.js';
import { runRequest, withEnvironment } from '../cli/run-command.js';
import { parseDuration } from '../options/duration.js';
import { loadtsVersion } from '../options/version.js';
import { runTest } from '../runtime/coordinator.js';
import { FleetBoard, type Slot } from './board.js';
import { fleetToken } from './client.js';
import { FLEET_HELP } from './fleet-help.js';
import { fleetPhases } from './fleet-load-phase.js';
import { runInstance } from './instance.js';
import { DEFAULT_JOIN_TIMEOUT_MS, DEFAULT_LOST_AFTER_MS, type Report } from './protocol.js';
import { parseListen, startFleetServer } from './server.js';

/** Takes `--name value` / `--name=value` out of `args`; returns the value. */
function take(args: string[], names: readonly string[], boolean = false): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = names.find((n) => arg === n || arg.startsWith(`${n}=`));
    if (name === undefined) continue;
    if (boolean) {
      args.splice(i, 1);
      return '';
    }
    if (arg.includes('=')) {
      args.splice(i, 1);
      return arg.slice(name.length + 1);
    }
    const value = args[i + 1];
    if (value === undefined) throw new LoadtsError('INVALID_FLAG', `${name} needs a value`);
    args.splice(i, 2);
    return value;
  }
  return undefined;
}

function count(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new LoadtsError('INVALID_FLAG', `${flag} needs a whole number of at least ${min}, got ${JSON.stringify(text)}`);
  return n;
}

/** `loadts fleet coordinator|instance ...`. */
export async function fleetCommand(argv: readonly string[]): Promise<number> {
  const [role, ...rest] = argv;
  if (role === undefined || role === '-h' || role === '--help' || rest.includes('-h') || rest.includes('--help')) {
    process.stdout.write(`${FLEET_HELP}\n`);
    return ExitCode.OK;
  }
  if (role === 'coordinator') return coordinator([...rest]);
  if (role === 'instance') return instance([...rest]);
  throw new LoadtsError('INVALID_FLAG', `loadts fleet ${role}: the roles are coordinator and instance (loadts fleet --help)`);
}

async function coordinator(args: string[]): Promise<number> {
  const instancesText = take(args, ['--instances']);
  if (instancesText === undefined) throw new LoadtsError('INVALID_FLAG', 'loadts fleet coordinator needs --instances N: how many instances run the test');
  const instances = count('--instances', instancesText, 1);
  const token = fleetToken(process.env);
  const listen = parseListen(take(args, ['--listen']), token);
  const joinTimeoutMs = parseDuration(take(args, ['--join-timeout']) ?? DEFAULT_JOIN_TIMEOUT_MS, '--join-timeout');
  const lostAfterMs = parseDuration(take(args, ['--lost-after']) ?? DEFAULT_LOST_AFTER_MS, '--lost-after');
  const cmd = parseArgs(['run', ...args]);
  if (cmd.command !== 'run') return ExitCode.OK;
  const run = withEnvironment(cmd as RunCommand);
  const req = runRequest(run, { ...run.env });
  let hook: (slot: Slot, r: Report) => void = () => {};
  const board = new FleetBoard(instances, lostAfterMs, loadtsVersion(), (slot, r) => hook(slot, r));
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const server = await startFleetServer(board, listen, token, say);
  say(`fleet: coordinator listening on ${server.url} for ${instances} instance${instances === 1 ? '' : 's'}${token === undefined ? ' (loopback only: no LOADTS_FLEET_TOKEN)' : ''}`);
  try {
    return (await runTest(req, fleetPhases(board, joinTimeoutMs, (h) => (hook = h)))).exitCode;
  } finally {
    await server.close();
  }
}

async function instance(args: string[]): Promise<number> {
  const env = process.env;
  const joinUrl = take(args, ['--join']) ?? env.LOADTS_FLEET_JOIN;
  if (joinUrl === undefined || joinUrl === '') throw new LoadtsError('INVALID_FLAG', "loadts fleet instance needs the coordinator's URL: --join http://HOST:6566 (or LOADTS_FLEET_JOIN)");
  const indexText = take(args, ['--index']) ?? env.LOADTS_FLEET_INDEX ?? env.JOB_COMPLETION_INDEX;
  const settings = {
    joinUrl,
    token: fleetToken(env),
    index: indexText === undefined || indexText === '' ? undefined : count('--index', indexText, 0),
    name: take(args, ['--name']),
    recordPath: take(args, ['--record']) ?? 'loadts-instance-{index}.json',
    joinTimeoutMs: parseDuration(take(args, ['--join-timeout']) ?? DEFAULT_JOIN_TIMEOUT_MS, '--join-timeout'),
    workers: ((w) => (w === undefined ? undefined : count('--workers', w, 1)))(take(args, ['--workers', '-w'])),
    quiet: take(args, ['--quiet', '-q'], true) !== undefined,
    noColor: take(args, ['--no-color'], true) !== undefined || env.NO_COLOR !== undefined,
  };
  if (args.length > 0) throw new LoadtsError('INVALID_FLAG', `loadts fleet instance: unknown argument ${JSON.stringify(args[0])} (the script and options come from the coordinator; see loadts fleet --help)`);
  return runInstance(settings);
}
