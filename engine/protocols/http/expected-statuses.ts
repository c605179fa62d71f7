/**
 * k6's response callback: which statuses count as expected (tag `expected_response`, metric
 * `http_req_failed`). k6's default is 200-399; `http.expectedStatuses(...)` builds others.
 */

/** A status (0 for a network error) → whether it is an expected response. */
export type ExpectedStatusPredicate = (status: number) => boolean;

/** One status, or an inclusive range, as `http.expectedStatuses()` takes them. */
export type ExpectedStatusSpec = number | { min: number; max: number };

/** Statuses 0..999 live in a lookup table; anything outside is never expected. */
const TABLE_SIZE = 1000;

/**
 * A predicate for the given statuses and ranges (k6's `http.expectedStatuses(200, {min: 300, max: 399})`).
 * Throws on anything that is not an integer status or a {min, max} range of them.
 */
export function expectedStatuses(...specs: ExpectedStatusSpec[]): ExpectedStatusPredicate {
  const table = new Uint8Array(TABLE_SIZE);
  specs.forEach((spec, i) => {
    const where = `expectedStatuses argument ${i + 1}`;
    if (typeof spec === 'number') {
      if (!Number.isInteger(spec) || spec < 0 || spec >= TABLE_SIZE) throw new TypeError(`${where}: ${spec} is not a status code (an integer 0-999)`);
      table[spec] = 1;
      return;
    }
    if (spec === null || typeof spec !== 'object' || !Number.isInteger(spec.min) || !Number.isInteger(spec.max)) {
      throw new TypeError(`${where}: expected a status code or {min, max} with integer statuses, got ${JSON.stringify(spec)}`);
    }
    if (spec.min > spec.max) throw new TypeError(`${where}: min ${spec.min} is greater than max ${spec.max}`);
    for (let s = Math.max(spec.min, 0); s <= Math.min(spec.max, TABLE_SIZE - 1); s++) table[s] = 1;
  });
  return (status: number) => status >= 0 && status < TABLE_SIZE && table[status] === 1;
}

/** k6's default: 200-399 are expected. */
export const DEFAULT_EXPECTED_STATUSES: ExpectedStatusPredicate = expectedStatuses({ min: 200, max: 399 });
