const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 60 * 60],
  ["month", 30 * 24 * 60 * 60],
  ["week", 7 * 24 * 60 * 60],
  ["day", 24 * 60 * 60],
  ["hour", 60 * 60],
  ["minute", 60],
];

const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/**
 * "just now", "5 minutes ago", "yesterday". `now` is passed in, not read from the clock, so the
 * server's render and the browser's hydration produce the same text.
 */
export function formatRelativeTime(date: Date | string, now: Date | string): string {
  const seconds = (new Date(date).getTime() - new Date(now).getTime()) / 1000;
  if (Math.abs(seconds) < 45) return "just now";
  const [unit, size] = UNITS.find(([, unitSeconds]) => Math.abs(seconds) >= unitSeconds) ?? ["minute", 60];
  return format.format(Math.round(seconds / size), unit);
}
