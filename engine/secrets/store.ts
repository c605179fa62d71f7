import { redactSecrets } from '../runtime/redact.js';
import type { SecretSource } from './sources.js';

let installed: readonly SecretSource[] = [];

/** Installs this thread's secret sources (every task carries them) and redacts their values. */
export function installSecretSources(sources: readonly SecretSource[] | undefined): void {
  if (sources === undefined || sources.length === 0 || installed === sources) return;
  installed = sources;
  redactSecrets(sources.flatMap((s) => Object.values(s.values)));
}

/** The installed sources. */
export function secretSources(): readonly SecretSource[] {
  return installed;
}
