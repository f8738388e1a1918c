import { describe, expect, it } from 'vitest';
import { withErrorLogging } from '../../src/logger/with-error-logging.js';
import { testLogger } from '../helpers/test-logger.js';

async function newLogger() {
  return (await testLogger()).logger;
}

describe('withErrorLogging as a higher-order function', () => {
  it('records the phase and the video hash found in an argument, then rethrows', async () => {
    const logger = await newLogger();
    const processVideo = withErrorLogging({ phase: 'VIDEO_PROCESSING', logger })(
      async (video: { videoHash: string }) => {
        throw new Error(`no frames in ${video.videoHash}`);
      },
    );
    await expect(processVideo({ videoHash: 'abc123' })).rejects.toThrow('no frames in abc123');
    const stats = logger.getErrorStats();
    expect(stats.totalErrors).toBe(1);
    expect(stats.mostFrequent[0]?.phases).toEqual(['VIDEO_PROCESSING']);
  });

  it('takes the Python spelling video_hash too, and keeps `this`, the name and the result', async () => {
    const logger = await newLogger();
    let seen: string | undefined;
    logger.engine.subscribe((r) => {
      seen = r.videoHash;
    });
    const worker = {
      factor: 3,
      scale: withErrorLogging({ logger })(function scale(
        this: { factor: number },
        job: { video_hash: string; n: number },
      ) {
        if (job.n < 0) throw new RangeError('negative');
        return job.n * this.factor;
      }),
    };
    expect(worker.scale({ video_hash: 'v9', n: 2 })).toBe(6);
    expect(worker.scale.name).toBe('scale');
    expect(() => worker.scale({ video_hash: 'v9', n: -1 })).toThrow(RangeError);
    // No phase was given and none is set around it: the function's name only names the span.
    expect(logger.getErrorStats().mostFrequent[0]?.phases).toEqual([]);
    // Listeners see the record once it completes (at the latest when stats are read).
    expect(seen).toBe('v9');
  });

  it('returns undefined instead of throwing with rethrow: false', async () => {
    const logger = await newLogger();
    const f = withErrorLogging({ phase: 'P', rethrow: false, logger })((): number => {
      throw new Error('swallowed');
    });
    expect(f()).toBeUndefined();
    expect(logger.getErrorStats().totalErrors).toBe(1);
  });

  it('rejects options that are not an object, and a non-string phase', () => {
    expect(() => withErrorLogging(null as never)).toThrow(TypeError);
    expect(() => withErrorLogging({ phase: 5 as unknown as string })).toThrow(TypeError);
    expect(() => (withErrorLogging({}) as unknown as (x: unknown) => unknown)(42)).toThrow(TypeError);
  });
});

describe('withErrorLogging as a legacy (experimentalDecorators) method decorator', () => {
  it('wraps the method in the descriptor and keeps `this`', async () => {
    const logger = await newLogger();
    class Pipeline {
      container = 'mp4';
      mux(job: { videoHash: string }): string {
        throw new Error(`moov atom not found in ${job.videoHash}.${this.container}`);
      }
    }
    // What TypeScript emits for `@withErrorLogging(...)` under experimentalDecorators.
    const descriptor = Object.getOwnPropertyDescriptor(Pipeline.prototype, 'mux')!;
    const result = withErrorLogging({ phase: 'MUXING', logger })(Pipeline.prototype, 'mux', descriptor);
    Object.defineProperty(Pipeline.prototype, 'mux', result);

    expect(() => new Pipeline().mux({ videoHash: 'h1' })).toThrow('moov atom not found in h1.mp4');
    const top = logger.getErrorStats().mostFrequent[0];
    expect(top?.phases).toEqual(['MUXING']);
    expect(top?.count).toBe(1);
  });
});
