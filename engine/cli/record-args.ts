import { LoadtsError } from '../errors.js';
import { closest } from '../options/checks.js';

/** A flag of a command that reads run records (summary, report, compare, merge). */
export interface SimpleFlag {
  readonly name: string;
  readonly short?: string;
  /** Placeholder of its value; absent for a boolean flag. */
  readonly value?: string;
  readonly help: string;
  /** Repeatable: every value is kept, in order. */
  readonly repeat?: boolean;
}

/** Parsed: flag name → its value(s) ('' for a boolean flag), and the positional arguments. */
export interface SimpleArgs {
  flags: Map<string, string[]>;
  positional: string[];
}

/**
 * Parses `--flag value`, `--flag=value`, `-f value` and positionals for the smaller commands. A
 * `-h`/`--help` anywhere gives undefined (the caller prints the command's help).
 * @throws LoadtsError INVALID_FLAG naming the command
 */
export function parseSimpleArgs(command: string, args: readonly string[], specs: readonly SimpleFlag[]): SimpleArgs | undefined {
  const out: SimpleArgs = { flags: new Map(), positional: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-h' || arg === '--help') return undefined;
    if (!arg.startsWith('-') || arg === '-') {
      out.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq < 0 ? undefined : eq) : arg.slice(1);
    const spec = specs.find((s) => (arg.startsWith('--') ? s.name === name : s.short === name));
    if (spec === undefined) {
      const guess = closest(name, specs.map((s) => s.name));
      throw new LoadtsError('INVALID_FLAG', `unknown flag ${arg.split('=')[0]} for "loadts ${command}"${guess ? ` (did you mean --${guess}?)` : ''}`);
    }
    let value = '';
    if (spec.value !== undefined) {
      if (eq >= 0) value = arg.slice(eq + 1);
      else {
        const next = args[++i];
        if (next === undefined) throw new LoadtsError('INVALID_FLAG', `${arg} needs a value (${spec.value})`);
        value = next;
      }
    }
    out.flags.set(spec.name, spec.repeat ? [...(out.flags.get(spec.name) ?? []), value] : [value]);
  }
  return out;
}

/** The help lines of `specs`. */
export function simpleFlagLines(specs: readonly SimpleFlag[]): string {
  return specs.map((f) => `  ${`${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.value ? ` ${f.value}` : ''}`.padEnd(34)} ${f.help}`).join('\n');
}
