/**
 * Writes a report file safely: into a temp file created with O_EXCL and mode 0600 beside the
 * target, then renamed over it, so a reader never sees half a report and a symlink planted at
 * the target path is refused rather than followed (RI-14).
 */
import { randomBytes } from 'node:crypto';
import { lstat, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ReportError } from './report-error.js';
import type { ReportSink } from './report-renderer.js';

async function refuseSymlink(target: string): Promise<void> {
  try {
    const info = await lstat(target);
    if (info.isSymbolicLink()) {
      throw new ReportError(
        'ERR_REPORT_OUTPUT_SYMLINK',
        `refusing to write the report through a symbolic link: ${target}`,
      );
    }
    if (info.isDirectory())
      throw new ReportError('ERR_REPORT_OUTPUT_FAILED', `report output is a directory: ${target}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function outputError(target: string, error: unknown): ReportError {
  if (error instanceof ReportError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new ReportError('ERR_REPORT_OUTPUT_FAILED', `cannot write the report to ${target}: ${code}`, {
    cause: error,
  });
}

/**
 * Runs `produce` against a sink that writes to `outputFile` atomically; returns the absolute
 * path written.
 */
export async function writeReportFile(
  outputFile: string,
  produce: (sink: ReportSink) => Promise<void>,
): Promise<string> {
  const target = resolve(outputFile);
  await refuseSymlink(target);
  const temp = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(temp, 'wx', 0o600);
  } catch (error) {
    throw outputError(target, error);
  }
  let renamed = false;
  try {
    await produce({
      async write(chunk) {
        // One write call may take only part of the bytes (a disk about to fill takes what fits
        // and says so only by the count): write the rest until done or the disk says why not.
        const bytes = Buffer.from(chunk, 'utf8');
        let done = 0;
        while (done < bytes.length) {
          const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, null);
          if (bytesWritten <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
          done += bytesWritten;
        }
      },
    });
    await handle.datasync();
    await handle.close();
    await refuseSymlink(target);
    await rename(temp, target);
    renamed = true;
    return target;
  } catch (error) {
    throw error instanceof ReportError || !(error as NodeJS.ErrnoException).code
      ? error
      : outputError(target, error);
  } finally {
    if (!renamed) {
      await handle.close().catch(() => {});
      await unlink(temp).catch(() => {});
    }
  }
}

/** Runs `produce` against an in-memory sink; returns the content. */
export async function renderToString(produce: (sink: ReportSink) => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  await produce({
    async write(chunk) {
      chunks.push(chunk);
    },
  });
  return chunks.join('');
}

/** Runs `produce` against a sink that writes to `stream`, waiting for `drain` when it is full; resolves to `''`. */
export async function writeReportStream(
  stream: NodeJS.WritableStream,
  produce: (sink: ReportSink) => Promise<void>,
): Promise<string> {
  await produce({
    write(chunk) {
      return new Promise<void>((resolve, reject) => {
        const onError = (error: unknown) => reject(outputError('the output stream', error));
        stream.once('error', onError);
        const done = () => {
          stream.off('error', onError);
          resolve();
        };
        if (stream.write(chunk)) done();
        else stream.once('drain', done);
      });
    },
  });
  return '';
}
