import { closest, distance } from 'fastest-levenshtein';

/**
 * "Did you mean" for a mistyped key, attribute, kind or command. Returns the closest
 * candidate when it is near enough to be a plausible typo, else undefined.
 */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0 || input.length === 0) return undefined;
  const lower = input.toLowerCase();
  const exactCase = candidates.find((c) => c.toLowerCase() === lower);
  if (exactCase) return exactCase;
  const best = closest(
    lower,
    candidates.map((c) => c.toLowerCase()),
  );
  const match = candidates.find((c) => c.toLowerCase() === best);
  if (match === undefined) return undefined;
  const longest = Math.max(input.length, match.length);
  const limit = longest <= 3 ? 1 : Math.ceil(longest / 3);
  if (distance(lower, match.toLowerCase()) <= limit) return match;
  // A prefix typed in full ("stat" for "status") is worth suggesting too.
  if (lower.length >= 3 && match.toLowerCase().startsWith(lower)) return match;
  return undefined;
}

export function didYouMean(input: string, candidates: readonly string[]): string {
  const guess = suggest(input, candidates);
  return guess ? ` (did you mean "${guess}"?)` : '';
}
