import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyException } from '../../src/classify/exception-classifier.js';
import { MediaCommandError } from '../../src/media/media-command-error.js';
import { runMediaCommand } from '../../src/media/run-media-command.js';

let dir: string;
let valid: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ei-media-'));
  valid = join(dir, 'valid.mp4');
  await runMediaCommand('ffmpeg', [
    '-nostdin',
    '-hide_banner',
    '-f',
    'lavfi',
    '-i',
    'testsrc=duration=0.2:size=64x64:rate=5',
    '-pix_fmt',
    'yuv420p',
    valid,
  ]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Awaits a run that must fail and returns its MediaCommandError. */
async function failure(run: Promise<unknown>): Promise<MediaCommandError> {
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MediaCommandError);
  return err as MediaCommandError;
}

const ffmpeg = (args: string[]) => runMediaCommand('ffmpeg', ['-nostdin', '-hide_banner', '-y', ...args]);

describe('real ffmpeg and ffprobe runs', () => {
  it('resolves with stdout, the stderr tail and the duration when the command succeeds', async () => {
    const { stdout, durationMs } = await runMediaCommand('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=width,height',
      '-of',
      'json',
      valid,
    ]);
    expect(JSON.parse(stdout).streams).toEqual([{ width: 64, height: 64 }]);
    expect(durationMs).toBeGreaterThan(0);
  });

  it('turns ffprobe on a corrupt file (junk bytes) into input/invalid-media', async () => {
    const corrupt = join(dir, 'corrupt.mkv');
    await writeFile(corrupt, 'this is not a video, just junk bytes\n'.repeat(50));
    const err = await failure(runMediaCommand('ffprobe', ['-hide_banner', corrupt]));
    expect([err.code, err.exitCode, err.signal, err.mediaFailure?.kind]).toEqual([
      'ERR_MEDIA_COMMAND_FAILED',
      1,
      null,
      'invalid-data',
    ]);
    expect(err.message).toBe(
      'ffprobe exited with code 1 (media failure: invalid-data): Invalid data found when processing input',
    );
    expect(err.stderrTail).toContain('Invalid data found when processing input');
    expect(classifyException(err).toJSON()).toMatchObject({
      category: 'input',
      subcategory: 'invalid-media',
      rule: 'media.invalid-data',
    });
  });

  it('turns ffmpeg on an MP4 cut before its moov atom into input/truncated-media', async () => {
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(valid);
    const truncated = join(dir, 'truncated.mp4');
    // Without +faststart the moov atom is written last: cutting the tail removes it.
    await writeFile(truncated, bytes.subarray(0, bytes.indexOf('moov') - 8));
    const err = await failure(ffmpeg(['-i', truncated, '-f', 'null', '-']));
    expect(err.mediaFailure?.kind).toBe('moov-atom-not-found');
    expect(err.message).toBe(
      'ffmpeg exited with code 1 (media failure: moov-atom-not-found): [mov,mp4,m4a,3gp,3g2,mj2] moov atom not found',
    );
    expect(classifyException(err).subcategory).toBe('truncated-media');
  });

  it('turns ffmpeg and ffprobe on a missing input into filesystem/media-file-not-found', async () => {
    const missing = join(dir, 'missing.mp4');
    const errs = [
      await failure(ffmpeg(['-i', missing, '-f', 'null', '-'])),
      await failure(runMediaCommand('ffprobe', [missing])),
    ];
    expect(errs.map((e) => e.mediaFailure)).toEqual([
      { kind: 'input-not-found', line: `${missing}: No such file or directory` },
      { kind: 'input-not-found', line: `${missing}: No such file or directory` },
    ]);
    // The path stays in the failure line and stderr, not in the message that fingerprints group by.
    expect(errs[0]!.message).toBe(
      'ffmpeg exited with code 1 (media failure: input-not-found): No such file or directory',
    );
    expect(errs.map((e) => classifyException(e).rule)).toEqual([
      'media.input-not-found',
      'media.input-not-found',
    ]);
  });

  it('gives two encoder failures from the same call site different messages and classifications', async () => {
    const encode = (extra: string[]) => failure(ffmpeg(['-i', valid, ...extra, join(dir, 'out.mp4')]));
    const unknownEncoder = await encode(['-c:v', 'libnope']);
    const oddSize = await encode(['-vf', 'scale=63:63', '-c:v', 'libx264', '-pix_fmt', 'yuv420p']);
    expect(unknownEncoder.message).toBe(
      "ffmpeg exited with code 1 (media failure: encoder-not-found): Unknown encoder 'libnope'",
    );
    expect(oddSize.mediaFailure?.kind).toBe('encoder-failed');
    expect(oddSize.stderrTail).toContain('width not divisible by 2');
    expect([classifyException(unknownEncoder).rule, classifyException(oddSize).rule]).toEqual([
      'media.encoder-not-found',
      'media.encoder-failed',
    ]);
  });

  it('turns ffmpeg writing to a full device (/dev/full) into disk/no-space', async () => {
    const err = await failure(ffmpeg(['-i', valid, '-f', 'mp4', '/dev/full']));
    expect(err.mediaFailure?.kind).toBe('no-space');
    expect(classifyException(err)).toMatchObject({
      category: 'disk',
      subcategory: 'no-space',
      rule: 'media.no-space',
    });
  });

  it('turns an input the tool may not read into permission/media-permission-denied', async () => {
    const privateDir = await mkdtemp(join(dir, 'private-'));
    const secret = join(privateDir, 'private.mp4');
    await writeFile(secret, 'x');
    await chmod(secret, 0o000);
    await chmod(privateDir, 0o700);
    // root reads any file, so as root the probe runs as nobody, who may not enter the 0700 directory.
    const asOther =
      process.getuid?.() === 0 ? ['--reuid=65534', '--regid=65534', '--clear-groups', 'ffprobe'] : [];
    const err = await failure(
      asOther.length > 0
        ? runMediaCommand('setpriv', [...asOther, secret])
        : runMediaCommand('ffprobe', [secret]),
    );
    expect(err.mediaFailure?.kind).toBe('permission-denied');
    expect(classifyException(err).category).toBe('permission');
  });

  it('rejects unknown ffmpeg options as a configuration error', async () => {
    const err = await failure(ffmpeg(['-i', valid, '-frobnicate', '1', join(dir, 'o.mp4')]));
    expect([err.mediaFailure?.kind, classifyException(err).rule]).toEqual([
      'invalid-option',
      'media.invalid-option',
    ]);
  });
});

describe('any child process', () => {
  it('reports a plain non-zero exit with its code and classifies it as media/command-failed', async () => {
    const err = await failure(runMediaCommand(process.execPath, ['-e', 'process.exit(3)']));
    expect([err.code, err.exitCode, err.signal, err.mediaFailure]).toEqual([
      'ERR_MEDIA_COMMAND_FAILED',
      3,
      null,
      undefined,
    ]);
    expect(err.message).toMatch(/^node exited with code 3$/);
    expect(err.name).toBe('MediaCommandError');
    expect(Object.keys(err)).toEqual([
      'code',
      'command',
      'args',
      'exitCode',
      'signal',
      'durationMs',
      'stderrTail',
    ]);
    expect(classifyException(err).rule).toBe('media.command-failed');
  });

  it('reports a process killed by SIGKILL as media/killed and points at the OOM killer', async () => {
    const err = await failure(runMediaCommand('sh', ['-c', 'kill -9 $$']));
    expect([err.exitCode, err.signal, err.message]).toEqual([null, 'SIGKILL', 'sh was killed by SIGKILL']);
    const c = classifyException(err);
    expect([c.rule, c.retryable]).toEqual(['media.killed', true]);
    expect(c.suggestion).toMatch(/OOM killer/);
    expect(classifyException({ name: 'ERR_MEDIA_COMMAND_FAILED', message: err.message }).rule).toBe(
      'media.killed',
    );
  });

  it('classifies a Node child that ran out of heap as FATAL memory from its stderr', async () => {
    const err = await failure(
      runMediaCommand(process.execPath, [
        '--max-old-space-size=8',
        '-e',
        'const a = []; for (;;) a.push(new Array(1e5).fill(1));',
      ]),
    );
    expect(err.mediaFailure?.kind).toBe('out-of-memory');
    expect(classifyException(err)).toMatchObject({ category: 'memory', severityText: 'FATAL' });
  });

  it('reports a command that does not exist as not started, with the spawn error as cause', async () => {
    const err = await failure(runMediaCommand('ffmpeg-that-is-not-installed', ['-i', 'x']));
    expect([err.code, err.exitCode, err.message]).toEqual([
      'ERR_MEDIA_COMMAND_NOT_STARTED',
      null,
      'ffmpeg-that-is-not-installed could not be started (ENOENT)',
    ]);
    expect((err.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(classifyException(err).toJSON()).toMatchObject({
      category: 'configuration',
      rule: 'media.command-not-found',
    });
  });

  it('kills a command that runs past timeoutMs and reports a retryable timeout', async () => {
    const err = await failure(runMediaCommand('sleep', ['10'], { timeoutMs: 100 }));
    expect([err.code, err.signal, err.message]).toEqual([
      'ERR_MEDIA_COMMAND_TIMEOUT',
      'SIGTERM',
      'sleep timed out after 100 ms',
    ]);
    expect(err.durationMs).toBeGreaterThanOrEqual(90);
    expect(classifyException(err)).toMatchObject({ category: 'timeout', retryable: true });
  });

  it('kills the command when its AbortSignal fires, and refuses to start with an aborted one', async () => {
    const controller = new AbortController();
    const run = runMediaCommand('sleep', ['10'], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('job cancelled')), 50);
    const err = await failure(run);
    expect([err.code, err.signal, (err.cause as Error).message]).toEqual([
      'ERR_MEDIA_COMMAND_ABORTED',
      'SIGTERM',
      'job cancelled',
    ]);
    expect(classifyException(err)).toMatchObject({ category: 'aborted', severityText: 'WARN' });
    const early = await failure(runMediaCommand('sleep', ['10'], { signal: AbortSignal.abort() }));
    expect([early.code, early.exitCode, early.durationMs]).toEqual(['ERR_MEDIA_COMMAND_ABORTED', null, 0]);
  });

  it('keeps only the last stderrTailBytes of a long stderr, starting at a line boundary', async () => {
    const script = [
      'for (let i = 0; i < 5000; i++) process.stderr.write("frame=" + i + " fps=25 q=28.0 size=" + i + "kB\\n");',
      'process.stderr.write("Conversion failed!\\n");',
      'process.exitCode = 1;',
    ].join('\n');
    const err = await failure(runMediaCommand(process.execPath, ['-e', script], { stderrTailBytes: 512 }));
    expect(Buffer.byteLength(err.stderrTail)).toBeLessThanOrEqual(512);
    expect(err.stderrTail).toMatch(/^frame=\d+ /);
    expect(err.stderrTail.endsWith('frame=4999 fps=25 q=28.0 size=4999kB\nConversion failed!\n')).toBe(true);
    expect(err.mediaFailure).toEqual({ kind: 'conversion-failed', line: 'Conversion failed!' });
  });

  it('runs without a shell: metacharacters in arguments reach the program unchanged', async () => {
    const { stdout } = await runMediaCommand(process.execPath, [
      '-e',
      'console.log(process.argv[1])',
      '$(echo hi); rm -rf ~',
    ]);
    expect(stdout).toBe('$(echo hi); rm -rf ~\n');
  });

  it('passes cwd and env to the command', async () => {
    const { stdout } = await runMediaCommand(
      process.execPath,
      ['-e', 'console.log(process.cwd(), process.env.EI_PHASE)'],
      {
        cwd: dir,
        env: { EI_PHASE: 'ENCODING' },
      },
    );
    expect(stdout.trim()).toBe(`${dir} ENCODING`);
  });
});

describe('redaction of what the error carries', () => {
  it('redacts secrets and home directories in command, args and stderr tail', async () => {
    const args = [
      '-e',
      'console.error("opening https://user:hunter2@cdn.example.com/v.mp4"); process.exit(2)',
      '/home/alice/videos/in.mp4',
      'https://user:hunter2@cdn.example.com/v.mp4?token=abc123def456',
      '-password',
      'hunter2',
      'api_key=sk-live-123456',
    ];
    const err = await failure(runMediaCommand(process.execPath, args));
    expect(err.args.slice(2)).toEqual([
      '~/videos/in.mp4',
      'https://[Filtered]@cdn.example.com/v.mp4?token=[Filtered]',
      '-password',
      '[Filtered]',
      'api_key=[Filtered]',
    ]);
    expect(err.stderrTail).toBe('opening https://[Filtered]@cdn.example.com/v.mp4\n');
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain('hunter2');
  });
});

describe('options are validated before anything is spawned', () => {
  it.each([
    [['sleep', ['1'], { timeoutMs: 0 }], RangeError],
    [['sleep', ['1'], { timeoutMs: Number.NaN }], RangeError],
    [['sleep', ['1'], { stderrTailBytes: -1 }], RangeError],
    [['sleep', ['1'], { stderrTailBytes: 1.5 }], RangeError],
    [['sleep', ['1'], { signal: {} }], TypeError],
    [['', []], TypeError],
    [['sleep', [1]], TypeError],
    [['sleep', 'x'], TypeError],
  ])('rejects %j', async (call, type) => {
    const [command, args, options] = call as [string, string[], object | undefined];
    await expect(runMediaCommand(command, args, options)).rejects.toThrow(type);
  });
});
