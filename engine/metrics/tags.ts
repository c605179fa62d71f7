import type { Tags } from './types.js';

/**
 * An immutable, interned set of tags. `with(k, v)` returns the same TagSet object every time it is
 * called with the same arguments on the same set, so the hot path adds tags with two Map lookups and
 * no string building; metric sinks are keyed by TagSet identity. Sets built in a different order have
 * different identities but the same canonical `key`, and snapshots merge by `key`.
 */
export class TagSet {
  /** The empty set; every TagSet descends from it. */
  static readonly EMPTY: TagSet = new TagSet(Object.freeze({}));

  readonly tags: Readonly<Tags>;
  #key: string | undefined;
  readonly #children = new Map<string, Map<string, TagSet>>();

  private constructor(tags: Readonly<Tags>) {
    this.tags = tags;
  }

  /** This set with `name` set to `value` (replacing any previous value). */
  with(name: string, value: string): TagSet {
    let byValue = this.#children.get(name);
    if (byValue === undefined) {
      byValue = new Map();
      this.#children.set(name, byValue);
    }
    let child = byValue.get(value);
    if (child === undefined) {
      if (this.tags[name] === value) child = this;
      else child = new TagSet(Object.freeze({ ...this.tags, [name]: value }));
      byValue.set(value, child);
    }
    return child;
  }

  /** This set with every entry of `tags` added (undefined values are skipped). */
  withAll(tags: Readonly<Record<string, string | number | boolean | undefined>> | undefined): TagSet {
    let set: TagSet = this;
    if (tags === undefined) return set;
    for (const name of Object.keys(tags)) {
      const value = tags[name];
      if (value !== undefined) set = set.with(name, String(value));
    }
    return set;
  }

  /** This set without `name`. Not cached: not for the hot path. */
  without(name: string): TagSet {
    if (!(name in this.tags)) return this;
    let set = TagSet.EMPTY;
    for (const [k, v] of Object.entries(this.tags)) if (k !== name) set = set.with(k, v);
    return set;
  }

  /** Value of one tag, or undefined. */
  get(name: string): string | undefined {
    return this.tags[name];
  }

  /** Canonical identity: sorted `k=v` pairs joined by '\u0000' (computed once). */
  get key(): string {
    if (this.#key === undefined) {
      const names = Object.keys(this.tags).sort();
      this.#key = names.map((n) => `${n}=${this.tags[n]}`).join('\u0000');
    }
    return this.#key;
  }

  /** True when every tag in `filter` is present here with the same value (k6 sub-metric match). */
  matches(filter: Readonly<Tags>): boolean {
    for (const name of Object.keys(filter)) if (this.tags[name] !== filter[name]) return false;
    return true;
  }
}

/** The canonical key of a plain tag map, equal to TagSet.key of the same tags. */
export function tagsKey(tags: Readonly<Tags>): string {
  return Object.keys(tags)
    .sort()
    .map((n) => `${n}=${tags[n]}`)
    .join('\u0000');
}
