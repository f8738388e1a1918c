// The original specification's decorator: as a higher-order function and as a (TC39) method decorator. The video
// hash comes from an argument with a `videoHash` or `video_hash` property.
import { getExportLogger, withErrorLogging } from 'error-insight';

interface VideoData {
  videoHash: string;
  frames: number;
}

const processVideo = withErrorLogging({ phase: 'VIDEO_PROCESSING' })(async (videoData: VideoData) => {
  if (videoData.frames <= 0) throw new Error(`Video ${videoData.videoHash} has no frames`);
  return videoData.frames * 2;
});

class Pipeline {
  private readonly muxer = 'mp4';

  @withErrorLogging({ phase: 'MUXING' })
  async mux(job: { video_hash: string }): Promise<string> {
    throw new Error(`moov atom not found while muxing ${job.video_hash} into ${this.muxer}`);
  }
}

console.log(`processed: ${await processVideo({ videoHash: 'aa11bb22', frames: 12 })}`);
for (const attempt of [
  () => processVideo({ videoHash: 'cc33dd44', frames: 0 }),
  () => new Pipeline().mux({ video_hash: 'ee55ff66' }),
]) {
  try {
    await attempt();
  } catch (e) {
    console.log(`rethrown: ${(e as Error).message}`);
  }
}

const logger = getExportLogger();
const stats = logger.getErrorStats();
for (const top of stats.mostFrequent)
  console.log(`${top.fingerprint} ${top.phases.join(',')} ${top.message}`);
await logger.flush();
