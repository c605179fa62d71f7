import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ROOT, testServer } from './helpers.js';
import { start, waitForOutput } from './fleet-helpers.js';

const DEPLOY = join(ROOT, 'deploy', 'kubernetes');

/** Validates a manifest against the Kubernetes schemas kubernetes-models ships (throws with the path of what is wrong). */
function validate(doc: any): void {
  const model = ({ Job, Service, ConfigMap } as Record<string, new (d: any) => { validate(): void }>)[doc.kind];
  if (model === undefined) throw new Error(`no schema for kind ${doc.kind}`);
  new model(doc).validate();
}

/** `kubectl kustomize deploy/kubernetes` (kubectl's built-in kustomize), as objects. */
function render(): any[] {
  const r = spawnSync('kubectl', ['kustomize', DEPLOY], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) throw new Error(`kubectl kustomize failed (kubectl is needed: .ci/run checks for it): ${r.error?.message ?? r.stderr}`);
  return parseAllDocuments(r.stdout).map((d) => d.toJS());
}

/** The one container of a rendered Job's pod. */
const containerOf = (job: any) => job.spec.template.spec.containers[0];

/** A container's environment as a pod gets it, the Secret's keys resolved to `secrets`. */
function podEnv(container: any, secrets: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) env[e.name] = e.value ?? secrets[e.valueFrom.secretKeyRef.key];
  return env;
}

describe('deploy/kubernetes', () => {
  const docs = render();
  const byName = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name.startsWith(name));
  const coordinator = byName('Job', 'loadts-coordinator');
  const instances = byName('Job', 'loadts-instances');
  const service = byName('Service', 'loadts-coordinator');
  const script = byName('ConfigMap', 'loadts-script');

  it('every manifest, as written and as kustomize renders it, is valid against the Kubernetes schemas', () => {
    expect(docs.map((d) => d.kind).sort()).toEqual(['ConfigMap', 'Job', 'Job', 'Service']);
    for (const d of docs) validate(d);
    for (const file of ['coordinator-job.yaml', 'coordinator-service.yaml', 'instances-job.yaml']) for (const d of parseAllDocuments(readFileSync(join(DEPLOY, file), 'utf8'))) validate(d.toJS());
    // the validation is real: a wrong field is refused with its path
    expect(() => validate({ ...instances, spec: { ...instances.spec, completionMode: 'Numbered' } })).toThrow(/spec\/completionMode must be equal to one of the allowed values/);
  });

  it("the Dockerfile's build stage copies every folder the build reads (no Docker engine here to build it)", () => {
    const dockerfile = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20-slim\b/m);
    const buildStage = dockerfile.slice(0, dockerfile.indexOf('\nFROM ', dockerfile.indexOf('FROM ') + 1));
    const copied = new Set([...buildStage.matchAll(/^COPY (.+) \S+$/gm)].flatMap((m) => m[1]!.split(' ')));
    // what `npm run build` reads: tsc's project files, the bundler and its entry points' folders, the bin
    const bundler = readFileSync(join(ROOT, 'scripts/bundle-engine.mjs'), 'utf8');
    const roots = new Set([...bundler.matchAll(/\$\{root\}([\w-]+)\//g)].map((m) => m[1]!).filter((d) => d !== 'dist' && d !== 'node_modules'));
    const read = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts', 'bin', ...roots];
    expect(roots).toContain('web');
    expect(read.filter((p) => !copied.has(p))).toEqual([]);
  });

  it('the pieces agree: an Indexed Job of N pods, --instances N, the Service in front of the coordinator, the script mounted in every pod', () => {
    const args: string[] = containerOf(coordinator).args;
    const n = Number(args[args.indexOf('--instances') + 1]);
    expect(instances.spec).toMatchObject({ completionMode: 'Indexed', completions: n, parallelism: n });
    expect(service.spec.selector).toEqual(Object.fromEntries(Object.entries(coordinator.spec.template.metadata.labels).filter(([k]) => k in service.spec.selector)));
    const port = Number(args[args.indexOf('--listen') + 1]!.split(':')[1]);
    expect(containerOf(coordinator).ports[0].containerPort).toBe(port);
    expect(podEnv(containerOf(instances), {}).LOADTS_FLEET_JOIN).toBe(`http://${service.metadata.name}:${service.spec.ports[0].port}`);
    expect(containerOf(coordinator).image).toBe(containerOf(instances).image);
    for (const job of [coordinator, instances]) {
      expect(job.spec.template.spec.volumes.find((v: any) => v.name === 'script').configMap.name).toBe(script.metadata.name);
      expect(containerOf(job).volumeMounts.find((m: any) => m.name === 'script').mountPath).toBe('/scripts');
    }
  });

  describe('the same contract on this machine: the coordinator and 3 instance processes with the pods\' arguments and environment', () => {
    let server: Awaited<ReturnType<typeof testServer>>;
    let served = 0;
    beforeAll(async () => {
      server = await testServer((_req, res) => {
        served++;
        res.end('ok');
      });
    });
    afterAll(() => server.close());

    it('runs the test to its end with one exit code and every record written', async () => {
      // What stands in for the cluster: mount paths are folders here, the Service's name is the
      // coordinator's loopback address, the target is a loopback server, and the ConfigMap holds a
      // test-sized script (users replace test.ts the same way).
      const root = mkdtempSync(join(tmpdir(), 'loadts-k8s-'));
      const mounts = { '/scripts': join(root, 'scripts'), '/results': join(root, 'results') };
      for (const dir of Object.values(mounts)) mkdirSync(dir);
      const key = Object.keys(script.data)[0]!;
      writeFileSync(join(mounts['/scripts'], key), `import http from 'k6/http';
        export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 6, iterations: 300 } }, thresholds: { http_req_failed: ['rate<0.01'] } };
        export default async function () { await http.get(__ENV.BASE_URL + '/'); }`);
      const local = (arg: string) => {
        let out = arg.replace(/^0\.0\.0\.0:\d+$/, '127.0.0.1:0').replace(/^BASE_URL=.*$/, `BASE_URL=${server.url}`);
        for (const [path, dir] of Object.entries(mounts)) out = out.split(`${path}/`).join(`${dir}/`);
        return out;
      };
      const secrets = { LOADTS_FLEET_TOKEN: 'a-test-token' };
      const c = containerOf(coordinator);
      const coord = start(c.args.map(local), { cwd: root, env: podEnv(c, secrets) });
      const url = (await waitForOutput(coord, /listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000))[1]!;
      const i = containerOf(instances);
      const pods = Array.from({ length: instances.spec.completions }, (_, index) =>
        // Kubernetes sets JOB_COMPLETION_INDEX in an Indexed Job's pods
        start(i.args.map(local), { cwd: root, env: { ...podEnv(i, secrets), LOADTS_FLEET_JOIN: url, JOB_COMPLETION_INDEX: String(index) } }),
      );
      const results = await Promise.all([coord.result, ...pods.map((p) => p.result)]);
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const results_ = mounts['/results'];
      const record = JSON.parse(gunzipSync(readFileSync(join(results_, 'fleet.json.gz'))).toString('utf8'));
      expect(record.metrics.series.filter((s: any) => s.metric === 'http_reqs').reduce((n: number, s: any) => n + s.data.sum, 0)).toBe(300);
      expect(served).toBe(300);
      expect(record.fleet.parts.map((p: any) => p.segment)).toEqual(['0:1/3', '1/3:2/3', '2/3:1']);
      expect(existsSync(join(results_, 'summary.json'))).toBe(true);
      for (const index of [0, 1, 2]) expect(existsSync(join(results_, `instance-${index}.json.gz`))).toBe(true);
    }, 150_000);
  });
});
