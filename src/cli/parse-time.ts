/**
 * Time arguments of the CLI: a relative age (`30m`, `12h`, `7d`, `2w`, meaning that long
 * before now) or an absolute ISO-8601 date or date-time.
 */
const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * The Date for a CLI time argument; throws a `RangeError` with a readable message when invalid.
 * Times without an offset are UTC, as records and every CLI output are. A date alone is the
 * start of that day, or with `edge: 'end'` (for `--until`) its last millisecond, so
 * `--since 2026-11-20 --until 2026-11-20` is the whole day.
 */
export function parseTimeArgument(value: string, now = Date.now(), edge: 'start' | 'end' = 'start'): Date {
  const text = value.trim();
  const relative = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(text);
  if (relative) {
    const [, amount = '0', unit = 's'] = relative;
    return new Date(now - Number(amount) * (UNITS[unit.toLowerCase()] ?? 0));
  }
  const absolute = /^(\d{4}-\d{2}-\d{2})(?:[T ]([\d:.]+)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (absolute) {
    const [, day, time, zone] = absolute;
    const iso = time === undefined ? `${day}T00:00:00.000Z` : `${day}T${time}${zone ?? 'Z'}`;
    const date = new Date(iso);
    // In UTC the day must survive the round trip: `2026-02-30` would roll over to March.
    const valid =
      !Number.isNaN(date.getTime()) && (zone !== undefined || date.toISOString().startsWith(day ?? ''));
    if (valid) return time === undefined && edge === 'end' ? new Date(date.getTime() + 86_400_000 - 1) : date;
  }
  throw new RangeError(
    `invalid time ${JSON.stringify(value)}: use an age such as 30m, 12h, 7d, 2w or an ISO date such as 2026-11-20T10:00Z`,
  );
}

/** `--until`'s parser: a date alone means the end of that day. */
export function parseUntilArgument(value: string): Date {
  return parseTimeArgument(value, Date.now(), 'end');
}

/** A byte size such as `512M`, `2G`, `1048576`; throws a `RangeError` when invalid. */
export function parseByteSize(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(value.trim());
  if (!match)
    throw new RangeError(`invalid size ${JSON.stringify(value)}: use bytes or a suffix such as 512M or 2G`);
  const [, amount = '0', unit = ''] = match;
  const power = ['', 'k', 'm', 'g', 't'].indexOf(unit.toLowerCase());
  return Math.round(Number(amount) * 1024 ** power);
}
