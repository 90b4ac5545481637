/**
 * "Did you mean …?" for typos in keys and ids.
 * Uses the optimal-string-alignment distance so a swapped pair of letters ("transprot") counts as one edit.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i++) {
    const row = d[i];
    if (row === undefined) continue;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The candidate closest to `word`, if it is close enough to be a plausible typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    // A spelt-out word for an abbreviation ("monday" for mon) is as good as a one-letter typo.
    const distance = other.length >= 3 && lower.startsWith(other) ? 1 : editDistance(lower, other);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** A hint for a name that is not among `candidates`: the closest one, or the list when short. */
export function suggestionHint(word: string, candidates: readonly string[], what: string): string | undefined {
  const near = closest(word, candidates);
  if (near !== undefined) return `did you mean "${near}"?`;
  if (candidates.length === 0) return `no ${what} is defined`;
  if (candidates.length <= 12) return `defined ${what}: ${candidates.join(', ')}`;
  return undefined;
}
