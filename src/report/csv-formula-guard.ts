/**
 * Neutralizes spreadsheet formula injection (CWE-1236): a text cell starting with `=`, `+`,
 * `-`, `@`, tab, CR, LF or NUL gets a leading `'`, which spreadsheets show as text. The prefix
 * is an apostrophe, never a tab (Symfony CVE-2021-41270). Numbers the report emits itself
 * (counts, pid, bytes) are written as numbers and left alone, so `-5` in a numeric column stays
 * a number while `-5` inside a message becomes `'-5`.
 */
const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\n', '\u0000']);

/** The cell text, prefixed with `'` when a spreadsheet could read it as a formula. */
export function guardCsvText(value: string): string {
  return value.length > 0 && TRIGGERS.has(value.charAt(0)) ? `'${value}` : value;
}
