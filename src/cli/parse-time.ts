/**
 * Time arguments of the CLI: a relative age (`30m`, `12h`, `7d`, `2w`, meaning that long
 * before now) or an absolute ISO-8601 date or date-time.
 */
const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The Date for a CLI time argument; throws a `RangeError` with a readable message when invalid. */
export function parseTimeArgument(value: string, now = Date.now()): Date {
  const relative = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(value.trim());
  if (relative) {
    const [, amount = '0', unit = 's'] = relative;
    return new Date(now - Number(amount) * (UNITS[unit.toLowerCase()] ?? 0));
  }
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    const date = new Date(value.trim());
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new RangeError(
    `invalid time ${JSON.stringify(value)}: use an age such as 30m, 12h, 7d, 2w or an ISO date such as 2026-11-20T10:00Z`,
  );
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
