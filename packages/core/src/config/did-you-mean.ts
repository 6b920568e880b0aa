/** Levenshtein distance between two short strings. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The known name closest to `name` when it is a near miss (a typo, a missing
 * or extra underscore, another case), else undefined.
 */
export function didYouMean(name: string, known: Iterable<string>): string | undefined {
  const norm = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of known) {
    if (norm(candidate) === norm(name)) return candidate;
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    const limit = Math.max(1, Math.min(3, Math.floor(candidate.length / 4)));
    if (d <= limit && d < bestScore) {
      best = candidate;
      bestScore = d;
    }
  }
  return best;
}
