/** 1.2, 5, 15: a tenth of a second matters only for short waits. */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return String(s < 10 ? Math.round(s * 10) / 10 : Math.round(s));
}
