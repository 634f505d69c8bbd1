/**
 * `docker-lab doctor` for people: one line per item with ✓ / ! / ✗ / -, what to do indented
 * beneath, colour only when wanted (NO_COLOR wins).
 */
import type { DoctorItem, DoctorReport, ItemId, ItemStatus } from './diagnose.js';

const LABELS: Record<ItemId, string> = {
  endpoint: 'endpoint',
  daemon: 'daemon',
  cli: 'docker CLI',
  storage: 'storage driver',
  cgroup: 'cgroups',
  architecture: 'architecture',
  disk: 'disk',
  sharing: 'files & ports',
  ports: 'ports',
  compose: 'compose',
  registry: 'registry',
};

const SYMBOLS: Record<ItemStatus, string> = { ok: '✓', warn: '!', fail: '✗', skip: '-' };
const COLORS: Record<ItemStatus, number> = { ok: 32, warn: 33, fail: 31, skip: 90 };

export interface RenderOptions {
  color: boolean;
  /** Also show why each earlier endpoint strategy did not apply. */
  verbose?: boolean;
}

/** Colour when the stream is a terminal, unless NO_COLOR is set; FORCE_COLOR forces it. */
export function wantsColor(
  env: Record<string, string | undefined>,
  isTTY: boolean | undefined,
): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return Boolean(isTTY);
}

export function renderReport(report: DoctorReport, options: RenderOptions): string {
  const paint = (code: number, text: string): string =>
    options.color ? `\u001b[${code}m${text}\u001b[39m` : text;
  const dim = (text: string): string => (options.color ? `\u001b[2m${text}\u001b[22m` : text);
  const width = Math.max(...report.items.map((item) => LABELS[item.id].length));
  const indent = ' '.repeat(width + 4);
  const lines: string[] = [];
  const failedEarly = report.items.some(
    (item) => (item.id === 'endpoint' || item.id === 'daemon') && item.status === 'fail',
  );
  for (const item of report.items) {
    lines.push(
      `${paint(COLORS[item.status], SYMBOLS[item.status])} ${LABELS[item.id].padEnd(width)}  ${item.summary}`,
    );
    if (item.id === 'endpoint' && (options.verbose || failedEarly)) {
      for (const step of report.resolution) {
        lines.push(dim(`${indent}${step.status}: ${step.detail}`));
      }
    }
    for (const fix of fixLines(item))
      lines.push(`${indent}${paint(COLORS[item.status], '→')} ${fix}`);
  }
  const warnings = report.items.filter((item) => item.status === 'warn').length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push('');
  if (report.ok) {
    lines.push(
      paint(32, `The course can run${warnings ? ` (${plural(warnings, 'warning')})` : ''}.`),
    );
  } else {
    const failures = report.items.filter((item) => item.status === 'fail').length;
    lines.push(
      paint(31, `The course cannot run: fix the ${plural(failures, 'item')} marked ✗ above.`),
    );
  }
  return `${lines.join('\n')}\n`;
}

function fixLines(item: DoctorItem): string[] {
  if (item.status === 'ok' || item.status === 'skip') return [];
  const platform = item.platformFix;
  return [
    ...(item.fix ?? []),
    ...(platform ? [...platform.linux, ...platform.macos, ...platform.windows] : []),
  ];
}
