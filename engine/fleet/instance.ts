import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LoadtsError } from '../errors.js';
import { formatDuration } from '../options/duration.js';
import { loadtsVersion } from '../options/version.js';
import { testIdentity } from '../record/identity.js';
import { runTest, type RunPhases } from '../runtime/coordinator.js';
import { loadPhase } from '../runtime/load-phase.js';
import type { RunRequest } from '../runtime/run-types.js';
import { apiDirUrl, type Bundle } from '../script/bundle.js';
import { errorOf, FleetClient } from './client.js';
import { InstanceLink, linkOutputType } from './link.js';
import { FLEET_PATHS, type JoinResponse } from './protocol.js';

/** How often an instance tries to reach a coordinator that is not up yet. */
const JOIN_RETRY_MS = 500;

/** What `loadts fleet instance` was told. */
export interface InstanceSettings {
  joinUrl: string;
  token: string | undefined;
  /** The slot asked for (--index, LOADTS_FLEET_INDEX or JOB_COMPLETION_INDEX). */
  index: number | undefined;
  name: string | undefined;
  /** Its own record ('{index}' is replaced by the slot). */
  recordPath: string;
  joinTimeoutMs: number;
  workers: number | undefined;
  quiet: boolean;
  noColor: boolean;
}

/** Joins the coordinator, trying until it answers (pods start in any order); a refusal is final. */
async function joinFleet(client: FleetClient, s: InstanceSettings, say: (line: string) => void): Promise<JoinResponse> {
  const until = performance.now() + s.joinTimeoutMs;
  const request = { name: s.name ?? hostname(), loadtsVersion: loadtsVersion(), ...(s.index === undefined ? {} : { index: s.index }) };
  let waitingSaid = false;
  for (;;) {
    const reply = await client.post<JoinResponse>(FLEET_PATHS.join, request);
    if (reply.status === 200) return reply.body as JoinResponse;
    const retry = reply.status === 0 || reply.status === 503 || reply.status === 502;
    if (!retry) throw new LoadtsError('FLEET_REFUSED', `the fleet coordinator at ${client.url} refused this instance: ${errorOf(reply)}`);
    if (performance.now() > until) throw new LoadtsError('FLEET_REFUSED', `no fleet coordinator at ${client.url} within ${formatDuration(s.joinTimeoutMs)} (${errorOf(reply)})`);
    if (!waitingSaid && !s.quiet) say(`fleet: waiting for the coordinator at ${client.url} (${errorOf(reply)})`);
    waitingSaid = true;
    await new Promise((r) => setTimeout(r, JOIN_RETRY_MS));
  }
}

/** The coordinator's bundle, its engine paths made this machine's, checked against its identity. */
async function givenBundle(client: FleetClient, j: JoinResponse): Promise<Bundle> {
  const reply = await client.text(FLEET_PATHS.bundle);
  if (reply.status !== 200) throw new LoadtsError('FLEET_REFUSED', `cannot get the test's bundle from ${client.url}: ${errorOf(reply)}`);
  const code = (reply.body as string).split(j.apiDirUrl).join(apiDirUrl());
  if (testIdentity(code, apiDirUrl(), j.options).bundleSha256 !== j.bundleSha256) throw new LoadtsError('FLEET_REFUSED', `the bundle from ${client.url} does not match its hash: refusing to run it`);
  const dir = await mkdtemp(join(tmpdir(), 'loadts-'));
  const file = join(dir, 'script.mjs');
  await writeFile(file, code);
  return { scriptPath: j.scriptPath, url: pathToFileURL(file).href, cached: false, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** setup() and teardown() are the coordinator's; the start time too; abortOnFail is judged fleet-wide. */
function instancePhases(link: InstanceLink): RunPhases {
  return {
    started: async (ctx) => link.attach(ctx),
    setup: () => link.waitForSetup(),
    load: (ctx, data) => loadPhase(ctx, data, { startAt: () => link.startTime(), abortOnFail: false }),
    teardown: async () => {},
  };
}

/**
 * `loadts fleet instance --join URL`: joins the coordinator, takes the bundled script, the options
 * and its segment from it, runs its segment with the normal engine (setup()'s data given, no
 * teardown, no handleSummary), reports every closed interval, and writes its own record.
 */
export async function runInstance(s: InstanceSettings): Promise<number> {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const client = new FleetClient(s.joinUrl, s.token);
  const j = await joinFleet(client, s, say);
  if (!s.quiet) say(`fleet: joined ${client.url} as instance ${j.index + 1} of ${j.instances} (segment ${j.segment})`);
  const link = new InstanceLink(client, j);
  link.heartbeat();
  const bundle = await givenBundle(client, j);
  const req: RunRequest = {
    scriptPath: j.scriptPath,
    cwd: process.cwd(),
    flagOptions: {},
    env: j.env,
    processEnv: process.env,
    noSummary: false,
    noThresholds: false,
    quiet: s.quiet,
    noColor: s.noColor,
    workers: s.workers,
    outputs: [{ name: 'record', arg: s.recordPath.split('{index}').join(String(j.index)), source: 'loadts fleet instance --record' }],
    extraOutputs: [{ type: linkOutputType, output: link }],
    given: { bundle, options: j.options, runStartedAtEpochMs: j.originMs },
    seriesIntervalMs: j.seriesIntervalMs,
    noHandleSummary: true,
    stdout: process.stdout,
    stderr: process.stderr,
    handleSignals: true,
  };
  return (await runTest(req, instancePhases(link))).exitCode;
}
