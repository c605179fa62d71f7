/**
 * Up to `limit` of `candidates` that look like a misspelling of `word`: edit distance at most
 * max(2, ⌊len/4⌋), or one containing the other; closest first.
 */
export function closestNames(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const maxDistance = Math.max(2, Math.floor(word.length / 4));
  const scored: Array<{ name: string; distance: number }> = [];
  for (const name of candidates) {
    const distance = editDistance(word, name);
    if (distance <= maxDistance || (word.length >= 3 && (name.includes(word) || word.includes(name)))) scored.push({ name, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name));
  return scored.slice(0, limit).map((s) => s.name);
}

/** Levenshtein distance (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
