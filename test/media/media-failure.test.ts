import { describe, expect, it } from 'vitest';
import { redactCommandArgs, redactCommandText } from '../../src/media/command-redaction.js';
import { summarizeFailureLine } from '../../src/media/media-command-error.js';
import { parseMediaFailure } from '../../src/media/media-failure.js';
import { StderrTail } from '../../src/media/stderr-tail.js';

describe('parseMediaFailure', () => {
  it('prefers the root cause over the generic lines ffmpeg prints after it', () => {
    const stderr = [
      '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55b0b5ade840] Format mov,mp4,m4a,3gp,3g2,mj2 detected only with low score of 1, misdetection possible!',
      '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55b0b5ade840] moov atom not found',
      'bad.mp4: Invalid data found when processing input',
    ].join('\n');
    expect(parseMediaFailure(stderr)).toEqual({
      kind: 'moov-atom-not-found',
      line: '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55b0b5ade840] moov atom not found',
    });
    const noSpace = [
      'Could not write header for output file #0 (incorrect codec parameters ?): No space left on device',
      'Error initializing output stream 0:0 -- ',
      'Conversion failed!',
    ].join('\n');
    expect(parseMediaFailure(noSpace)?.kind).toBe('no-space');
  });

  it.each([
    ["Unknown encoder 'libx265'", 'encoder-not-found'],
    ['Decoder (codec av1) not found for input stream #0:0', 'decoder-not-found'],
    [
      '[mp4 @ 0x1] Could not find tag for codec pcm_s16le in stream #1, codec not currently supported in container',
      'codec-not-supported',
    ],
    ["Unrecognized option 'frobnicate'.", 'invalid-option'],
    ["Unknown input format: 'nope'", 'unknown-format'],
    ['https://cdn.example.com/a.mp4: Server returned 404 Not Found', 'network'],
    ['[h264 @ 0x2] Invalid NAL unit size (1234 > 99).', 'invalid-data'],
    ['Error while opening encoder for output stream #0:0 - maybe incorrect parameters', 'encoder-failed'],
    ['out.mp4: Permission denied', 'permission-denied'],
    ['[AVIOContext @ 0x3] Cannot allocate memory', 'out-of-memory'],
  ])('recognises %j as %s', (line, kind) => {
    expect(parseMediaFailure(`ffmpeg version 5.1\n${line}\n`)).toEqual({ kind, line });
  });

  it('cuts the failure line out of progress output separated by carriage returns', () => {
    const stderr =
      'frame=  10 fps=0.0 q=28.0\rframe=  20 fps=0.0 q=28.0\rav_interleaved_write_frame(): No space left on device\r\n';
    expect(parseMediaFailure(stderr)).toEqual({
      kind: 'no-space',
      line: 'av_interleaved_write_frame(): No space left on device',
    });
  });

  it('returns undefined when no known line is present', () => {
    expect(parseMediaFailure('frame=  10 fps=0.0\nvideo:2kB audio:0kB\n')).toBeUndefined();
  });
});

describe('summarizeFailureLine', () => {
  it('drops per-run pointers and the leading path, keeping the reason', () => {
    expect(summarizeFailureLine('[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55b0b5ade840] moov atom not found')).toBe(
      '[mov,mp4,m4a,3gp,3g2,mj2] moov atom not found',
    );
    expect(
      summarizeFailureLine('/srv/videos/3a7bd3e2f/in.mp4: Invalid data found when processing input'),
    ).toBe('Invalid data found when processing input');
    expect(summarizeFailureLine("Unknown encoder 'libnope'")).toBe("Unknown encoder 'libnope'");
  });
});

describe('command redaction', () => {
  it('replaces home directories on Linux, macOS and Windows with ~', () => {
    expect(
      redactCommandArgs([
        '/home/张伟/片段.mp4',
        '/Users/bob/in.mov',
        'C:\\Users\\carol\\out.mp4',
        '/srv/in.mp4',
      ]),
    ).toEqual(['~/片段.mp4', '~/in.mov', '~\\out.mp4', '/srv/in.mp4']);
  });

  it('masks the value after an option with a sensitive name, and leaves other options alone', () => {
    expect(
      redactCommandArgs(['--api-key', 'abc', '-token', 't', '-c:v', 'libx264', '-passphrase', 'p']),
    ).toEqual([
      '--api-key',
      '[Filtered]',
      '-token',
      '[Filtered]',
      '-c:v',
      'libx264',
      '-passphrase',
      '[Filtered]',
    ]);
  });

  it('masks bearer headers and URL credentials inside text', () => {
    expect(redactCommandText('Authorization: Bearer abcdef123456789 rtmp://u:pw@live.example.com/app')).toBe(
      'Authorization: [Filtered] rtmp://[Filtered]@live.example.com/app',
    );
  });
});

describe('StderrTail', () => {
  it('keeps everything when under the limit', () => {
    const tail = new StderrTail(64);
    tail.push(Buffer.from('a\n'));
    tail.push(Buffer.from('b\n'));
    expect(tail.text()).toBe('a\nb\n');
  });

  it('never starts inside a multi-byte character or a line when it had to cut', () => {
    const tail = new StderrTail(20);
    for (let i = 0; i < 50; i++) tail.push(Buffer.from(`第${i}帧错误\n`));
    const text = tail.text();
    expect(text).not.toContain('\uFFFD');
    expect(text.startsWith('第')).toBe(true);
    expect(text.endsWith('第49帧错误\n')).toBe(true);
  });

  it('keeps nothing with a limit of 0', () => {
    const tail = new StderrTail(0);
    tail.push(Buffer.from('x\n'));
    expect(tail.text()).toBe('');
  });
});
