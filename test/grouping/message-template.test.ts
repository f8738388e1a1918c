import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  JSON_SYNTAX_TEMPLATE,
  MAX_MESSAGE_INPUT,
  maskMessage,
  normalizeMessage,
} from '../../src/grouping/message-template.js';

describe('normalizeMessage', () => {
  it.each([
    ['numbers and ids', 'job 42 failed after 3 retries', 'job <num> failed after <num> retries'],
    ['long numbers', 'job 10000000 done', 'job <num> done'],
    ['a number leading a word', '123abcxyz9 left', '<num>abcxyz9 left'],
    ['snake_case ids keep their word', 'video_123 failed', 'video_<num> failed'],
    ['words with digits stay', 'h264 in mp4 via utf8 and sha256', 'h264 in mp4 via utf8 and sha256'],
    ['hex', 'bad pointer 0xdeadBEEF', 'bad pointer <hex>'],
    ['short hex ids with a digit', 'render failed for 3a7bd3e2f', 'render failed for <hex>'],
    ['plain words are not hex', 'deadbeef accessed', 'deadbeef accessed'],
    ['content hashes', `sha ${'ab12'.repeat(16)}`, 'sha <hash>'],
    ['UUIDs', 'task 123e4567-e89b-12d3-a456-426614174000 lost', 'task <uuid> lost'],
    ['single quotes', "cannot open 'my file.mp4' now", 'cannot open <str> now'],
    ['double quotes', 'key "a b c" missing', 'key <str> missing'],
    ['apostrophes are not quotes', "can't find the file's header", "can't find the file's header"],
    ['Chinese quotes', '找不到文件“片段 12.ts”', '找不到文件<str>'],
    ['POSIX paths', 'cannot stat /var/data/job-7/input.mp4', 'cannot stat <path>'],
    ['relative paths', 'missing ./out/seg_0001.ts and src/a/b.ts', 'missing <path> and <path>'],
    ['Windows paths', 'cannot open C:\\Users\\bob\\clip.mov', 'cannot open <path>'],
    ['UNC paths', 'share \\\\nas\\media\\clip.mov gone', 'share <path> gone'],
    ['and/or, I/O and N/A are words', 'and/or I/O N/A', 'and/or I/O N/A'],
    ['URLs', 'GET https://cdn.example.com/v/3?x=1 failed', 'GET <url> failed'],
    ['emails', 'notify ops@example.com failed', 'notify <email> failed'],
    ['IPv4 with port', 'connect ECONNREFUSED 127.0.0.1:45321', 'connect ECONNREFUSED <ip>'],
    ['IPv6', 'connect ECONNREFUSED ::1:3000', 'connect ECONNREFUSED <ip>'],
    ['bracketed IPv6', 'listen [::1]:8080 failed', 'listen <ip> failed'],
    ['ISO timestamps', 'expired at 2026-11-28T12:00:00.123Z', 'expired at <time>'],
    ['dates', 'invoice 28/11/2026 late', 'invoice <date> late'],
    ['timecodes', 'seek to 00:01:23.45 failed', 'seek to <timecode> failed'],
    ['SMPTE timecodes', 'drop at 01:02:03:12', 'drop at <timecode>'],
    ['resolutions', 'scale to 1920x1080 failed', 'scale to <resolution> failed'],
    ['resolutions with ×', 'scale to 3840 × 2160 failed', 'scale to <resolution> failed'],
    ['named resolutions', '1080p and 720p', '<resolution> and <resolution>'],
    ['frame numbers', 'frame 1234 dropped, frame=77', 'frame <frame> dropped, frame=<frame>'],
    ['Chinese frame numbers', '第帧 120 丢失', '第帧 <frame> 丢失'],
    ['bitrates', 'bitrate 4500k exceeds 5 Mbps and 8M', 'bitrate <bitrate> exceeds <bitrate> and <bitrate>'],
    ['sizes', 'buffer of 12MB exceeds 1.5 GiB (512 bytes)', 'buffer of <size> exceeds <size> (<size>)'],
    [
      'durations',
      'timed out after 5000ms, retry in 3 min or 2.5s',
      'timed out after <duration>, retry in <duration> or <duration>',
    ],
    ['Chinese durations', '超时 30秒', '超时 <duration>'],
    [
      'temp files',
      'write tmp-8f3a2.mp4 and out_tmp_77.mov and x.mp4.part',
      'write <tmp> and <tmp> and <tmp>',
    ],
    ['words containing temp stay', 'temperature attempt template', 'temperature attempt template'],
    [
      'property names are code',
      "Cannot read properties of undefined (reading 'width')",
      "Cannot read properties of undefined (reading 'width')",
    ],
    [
      'index properties are data',
      "Cannot read properties of undefined (reading '0')",
      'Cannot read properties of undefined (reading <str>)',
    ],
    [
      'module names are code',
      "Cannot find module 'express' imported from /app/a.js",
      "Cannot find module 'express' imported from <path>",
    ],
    ['whitespace collapses', 'a\n  b\t\tc  ', 'a b c'],
  ])('masks %s', (_name, input, expected) => {
    expect(normalizeMessage(input)).toBe(expected);
  });

  it.each([['{x'], ['{"a":1,}'], [''], ['[1,2'], ['undefined'], ['nul']])(
    'turns every JSON.parse message (input %j) into one template',
    (text) => {
      let message = '';
      try {
        JSON.parse(text);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).not.toBe('');
      expect(normalizeMessage(message)).toBe(JSON_SYNTAX_TEMPLATE);
    },
  );

  it('cuts inputs longer than the bound before masking', () => {
    const out = normalizeMessage(`${'word '.repeat(1000)}`);
    expect(out.length).toBeLessThanOrEqual(MAX_MESSAGE_INPUT + 1);
    expect(out.endsWith('…')).toBe(true);
  });

  it('gives one template for a message whatever number, path, port or size it carries (property)', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.array(fc.stringMatching(/^[a-z0-9_-]{1,12}$/), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 65535 }),
        fc.integer({ min: 1, max: 4096 }),
        (n, segments, port, size) => {
          const m = `job ${n} could not write /data/${segments.join('/')}.mp4 to 10.0.0.${n % 256}:${port} (${size}MB)`;
          return normalizeMessage(m) === 'job <num> could not write <path> to <ip> (<size>)';
        },
      ),
    );
  });

  // Single quotes are left out: in `'a+'7'x'` which quote pairs with which is ambiguous, and
  // masking one pair can change the pairing of the rest.
  it('is idempotent: a template normalizes to itself (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }).filter((s) => !s.includes("'")),
        (s) => {
          const once = normalizeMessage(s);
          return normalizeMessage(once) === once;
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('the template cache by digit shape', () => {
  const digits = fc.stringMatching(/^[0-9]{1,6}$/);
  const piece = fc.oneof(
    digits,
    fc.constantFrom(
      ' ',
      'x',
      'p',
      'k',
      'ms',
      ':',
      '.',
      '-',
      '/',
      'frame ',
      '0x',
      "'",
      'h',
      'MB',
      'T',
      'Z',
      ' at ',
    ),
    fc.stringMatching(/^[a-z]{1,5}$/),
  );
  const message = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
  const reshuffle = (m: string, seed: number) =>
    m.replace(/[1-9]/g, (d, i: number) => String(((Number(d) + seed + i) % 9) + 1));

  it('gives every message of one shape the template its mask gives, whenever that template keeps no digit', () => {
    fc.assert(
      fc.property(message, fc.integer({ min: 0, max: 8 }), (m, seed) => {
        const template = maskMessage(m);
        if (/\d/.test(template)) return;
        expect(maskMessage(reshuffle(m, seed))).toBe(template);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps digits that are part of the template apart (h264 and h265 stay two templates)', () => {
    expect(normalizeMessage('codec h264 failed at frame 12')).toBe('codec h264 failed at frame <frame>');
    expect(normalizeMessage('codec h265 failed at frame 13')).toBe('codec h265 failed at frame <frame>');
    expect(normalizeMessage('boom 1')).toBe(normalizeMessage('boom 98'));
  });
});
