/**
 * k6's shared-library URLs (https://jslib.k6.io/…) that loadts answers without the network:
 * k6-utils and k6-summary map to loadts's own modules (written from k6's documented API), and
 * papaparse to the npm package when the script's project has it installed. A version in the URL
 * selects nothing: every version maps to the same module.
 */
export type JslibTarget =
  /** An engine/api module (its file name without extension). */
  | { readonly kind: 'api'; readonly module: string }
  /** An npm package, resolved from the script's folder; fetched as usual when not installed. */
  | { readonly kind: 'npm'; readonly pkg: string };

const TABLE: ReadonlyArray<readonly [RegExp, JslibTarget]> = [
  [/^https:\/\/jslib\.k6\.io\/k6-utils\/[^/]+\/index\.js$/, { kind: 'api', module: 'utils' }],
  [/^https:\/\/jslib\.k6\.io\/k6-summary\/[^/]+\/index\.js$/, { kind: 'api', module: 'summary' }],
  [/^https:\/\/jslib\.k6\.io\/papaparse\/[^/]+\/index\.js$/, { kind: 'npm', pkg: 'papaparse' }],
];

/** What loadts puts in place of a jslib URL, or undefined for any other URL. */
export function builtInJslib(url: string): JslibTarget | undefined {
  for (const [re, target] of TABLE) if (re.test(url)) return target;
  return undefined;
}
