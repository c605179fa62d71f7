/**
 * `import { SharedArray } from 'loadts/data'` (also 'k6/data'). The array is built once per worker
 * thread (module scope is per worker), frozen, and shared by all that worker's VUs.
 * @module loadts/data
 */
const arrays = new Map<string, readonly unknown[]>();

/** A read-only array built once per worker by `build`. */
export class SharedArray<T = unknown> {
  constructor(name: string, build: () => T[]) {
    let data = arrays.get(name) as readonly T[] | undefined;
    if (data === undefined) {
      const built = build();
      if (!Array.isArray(built)) throw new TypeError(`SharedArray "${name}": the function must return an array`);
      data = Object.freeze(built.map((v) => (v !== null && typeof v === 'object' ? Object.freeze(v) : v)));
      arrays.set(name, data);
    }
    // Returning the frozen array keeps indexing, length and iteration exactly as for an array.
    return data as unknown as SharedArray<T>;
  }
  [index: number]: T;
  declare readonly length: number;
}

export default { SharedArray };
