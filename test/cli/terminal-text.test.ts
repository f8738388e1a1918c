import { describe, expect, it } from 'vitest';
import { parseByteSize, parseTimeArgument, parseUntilArgument } from '../../src/cli/parse-time.js';
import { displayWidth, escapeTerminalText, fitWidth } from '../../src/cli/terminal-text.js';

describe('escapeTerminalText', () => {
  it('shows every C0 and C1 control character and bidi override as an escape', () => {
    const all =
      Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join('') + '\u2028\u202e\u2066';
    const out = escapeTerminalText(all);
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u202e\u2066]/);
    expect(escapeTerminalText('a\u001b[2Jb\u001b]0;t\u0007c\n\td\u009b')).toBe(
      'a\\x1b[2Jb\\x1b]0;t\\x07c\\n\\td\\x9b',
    );
    expect(escapeTerminalText('渲染 ok \u202eevil')).toBe('渲染 ok \\u202eevil');
  });
});

describe('displayWidth and fitWidth', () => {
  it('count CJK characters as two columns and cut with an ellipsis', () => {
    expect(displayWidth('ab渲染')).toBe(6);
    expect(fitWidth('渲染失败了', 6)).toBe('渲染…');
    expect(fitWidth('short', 10)).toBe('short');
  });
});

describe('parseTimeArgument', () => {
  it('reads ages relative to now and ISO dates, and rejects anything else', () => {
    const now = Date.UTC(2026, 10, 28, 12);
    expect(parseTimeArgument('7d', now).toISOString()).toBe('2026-11-21T12:00:00.000Z');
    expect(parseTimeArgument('90m', now).toISOString()).toBe('2026-11-28T10:30:00.000Z');
    expect(parseTimeArgument('2026-11-20T10:00Z').toISOString()).toBe('2026-11-20T10:00:00.000Z');
    expect(parseTimeArgument('2026-11-20').toISOString()).toBe('2026-11-20T00:00:00.000Z');
    // Without an offset a time is UTC, like the records, whatever the machine's zone.
    expect(parseTimeArgument('2026-11-20T10:00').toISOString()).toBe('2026-11-20T10:00:00.000Z');
    expect(parseTimeArgument('2026-11-20T10:00+02:00').toISOString()).toBe('2026-11-20T08:00:00.000Z');
    // A date alone as --until is the whole day.
    expect(parseUntilArgument('2026-11-20').toISOString()).toBe('2026-11-20T23:59:59.999Z');
    expect(() => parseTimeArgument('2026-02-30')).toThrow(RangeError);
    for (const bad of ['yesterday', '7x', '', '2026-13-45'])
      expect(() => parseTimeArgument(bad, now)).toThrow(RangeError);
  });
});

describe('parseByteSize', () => {
  it('reads plain bytes and binary suffixes', () => {
    expect([
      parseByteSize('1024'),
      parseByteSize('512M'),
      parseByteSize('2g'),
      parseByteSize('1.5KiB'),
    ]).toEqual([1024, 512 * 1024 ** 2, 2 * 1024 ** 3, 1536]);
    expect(() => parseByteSize('lots')).toThrow(RangeError);
  });
});
