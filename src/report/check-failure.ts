import type { Lang } from '../checks/matchers.js';
import type { CheckResult } from '../checks/types.js';
import type { Style } from './diagnostics.js';

/** A failing check for people: id and subject, expected vs actual, attempts, snapshot, fix. */
export function renderCheckFailure(result: CheckResult, _lang: Lang, style: Style): string {
  const { check, observation } = result;
  const lines = [`${style.bold(check.id)}: ${observation.subject} (line ${check.line})`];
  if (result.error) lines.push(`  ${result.error}`);
  for (const m of observation.mismatches) {
    lines.push(`  ${m.field}: expected ${m.expected}, got ${JSON.stringify(m.actual)}`);
  }
  lines.push(
    `  ${result.attempts} attempt${result.attempts === 1 ? '' : 's'} in ${(result.elapsedMs / 1000).toFixed(1)} s`,
  );
  const fix = check.fix ?? observation.fix;
  if (fix) lines.push(`  fix: ${fix}`);
  return lines.join('\n');
}
