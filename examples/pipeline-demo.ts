// The main demo: a simulated video-export pipeline. Ten videos go through PREPARATION →
// VALIDATION → RENDERING → ENCODING → MUXING → UPLOADING; some fail the way real exports fail
// (a missing source, corrupt metadata, a bad frame count, an encoder that is not there, a
// broken container, a refused or hanging upload). error-insight records every failure in the
// local store, groups and classifies them, and the demo prints the stats and writes a report.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerErrorInstrumentation, runMediaCommand } from 'error-insight';

const PHASES = ['PREPARATION', 'VALIDATION', 'RENDERING', 'ENCODING', 'MUXING', 'UPLOADING'] as const;
type Phase = (typeof PHASES)[number];

/** What goes wrong with a video, and in which phase. */
type Fault =
  | 'missing-source'
  | 'corrupt-metadata'
  | 'bad-frame-count'
  | 'missing-encoder'
  | 'broken-container'
  | 'upload-refused'
  | 'upload-timeout';

interface Video {
  name: string;
  hash: string;
  dir: string;
  fault?: Fault;
}

const insight = registerErrorInstrumentation({ serviceName: 'clips-exporter' });
const logger = insight.logger;

const work = await mkdtemp(join(tmpdir(), 'clips-export-'));
// A loopback server that accepts uploads and never answers, and a port nothing listens on.
const held = new Set<Socket>();
const blackHole: Server = createServer((socket) => {
  held.add(socket);
});
await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
const hangingPort = (blackHole.address() as { port: number }).port;
const closedPort = await freePort();

const plan: Array<[string, Fault | undefined]> = [
  ['intro.mov', undefined],
  ['interview-a.mov', 'missing-source'],
  ['interview-b.mov', 'missing-source'],
  ['drone-shot.mp4', 'corrupt-metadata'],
  ['timelapse.mp4', 'bad-frame-count'],
  ['keynote.mov', 'missing-encoder'],
  ['b-roll.mp4', 'broken-container'],
  ['outro.mov', 'upload-refused'],
  ['teaser.mp4', 'upload-timeout'],
  ['credits.mov', undefined],
];
const videos: Video[] = [];
for (const [name, fault] of plan) {
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 9);
  const dir = join(work, hash);
  await mkdir(dir, { recursive: true });
  videos.push({ name, hash, dir, ...(fault ? { fault } : {}) });
}

const phaseWork: Record<Phase, (v: Video) => Promise<void>> = {
  async PREPARATION(v) {
    if (v.fault !== 'missing-source') await writeFile(join(v.dir, 'source.mov'), 'frames');
    await stat(join(v.dir, 'source.mov'));
    await writeFile(
      join(v.dir, 'meta.json'),
      v.fault === 'corrupt-metadata'
        ? '{"width": 1920, "height": 10'
        : '{"width": 1920, "height": 1080, "frames": 240}',
    );
  },
  async VALIDATION(v) {
    const meta = JSON.parse(await readFile(join(v.dir, 'meta.json'), 'utf8')) as {
      width: number;
      height: number;
    };
    if (meta.width % 2 !== 0) throw new TypeError(`odd width ${meta.width}`);
  },
  async RENDERING(v) {
    const frames = v.fault === 'bad-frame-count' ? -240 : 240;
    const buffer = new Array<number>(frames).fill(0);
    await writeFile(join(v.dir, 'frames.raw'), Buffer.from(buffer));
  },
  async ENCODING(v) {
    if (v.fault !== 'missing-encoder') return;
    // A real encoder run asking for an encoder this machine lacks (or no ffmpeg at all).
    await runMediaCommand(
      'ffmpeg',
      [
        '-hide_banner',
        '-f',
        'lavfi',
        '-i',
        'testsrc=duration=0.1:size=64x64:rate=5',
        '-c:v',
        'hevc_nvenc_gpu0',
        '-f',
        'null',
        '-',
      ],
      { timeoutMs: 10_000 },
    );
  },
  async MUXING(v) {
    if (v.fault !== 'broken-container') return;
    const file = join(v.dir, 'muxed.mp4');
    await writeFile(file, Buffer.alloc(4096, 0x5a));
    await runMediaCommand('ffprobe', ['-hide_banner', '-v', 'error', file], { timeoutMs: 10_000 });
  },
  async UPLOADING(v) {
    if (v.fault === 'upload-refused') {
      // Three attempts, as an uploader with retries would make: a recurring error.
      for (let attempt = 1; attempt <= 3; attempt++) {
        try {
          await fetch(`http://127.0.0.1:${closedPort}/upload/${v.hash}`, { method: 'PUT', body: 'x' });
        } catch (e) {
          if (attempt === 3) throw e;
          logger.logStructuredError(e, { attempt }, {});
        }
      }
    }
    if (v.fault === 'upload-timeout') {
      await fetch(`http://127.0.0.1:${hangingPort}/upload/${v.hash}`, {
        method: 'PUT',
        body: 'x',
        signal: AbortSignal.timeout(150),
      });
    }
  },
};

let exported = 0;
for (const video of videos) {
  try {
    for (const phase of PHASES) {
      await logger.logErrors({ phase, videoHash: video.hash, context: { file: video.name } }, () =>
        phaseWork[phase](video),
      );
    }
    exported++;
    console.log(`  ✓ ${video.name} (${video.hash})`);
  } catch (e) {
    console.log(
      `  ✗ ${video.name} (${video.hash}): ${(e as Error).name}: ${(e as Error).message.split('\n')[0]}`,
    );
  }
}

const stats = logger.getErrorStats();
console.log(`\nExported ${exported} of ${videos.length} videos.`);
console.log(
  `Errors: ${stats.totalErrors} recorded, ${stats.uniqueErrors} distinct, ${stats.dropped} dropped.`,
);
console.log('\nMost frequent:');
for (const top of stats.mostFrequent) {
  console.log(
    `  ${top.count}× ${top.fingerprint}  ${top.category.padEnd(12)} ${top.phases.join(',').padEnd(12)} ${top.type}: ${top.message.slice(0, 70)}`,
  );
}
console.log('\nBy phase:', JSON.stringify(stats.byPhase));
console.log('By category:', JSON.stringify(stats.byCategory));
for (const warning of stats.patterns) console.log(`Pattern ${warning.kind}: ${warning.message}`);

const report = await logger.exportLogs({
  format: 'html',
  outputFile: join(logger.storeDir ?? '.', 'report.html'),
});
console.log(`\nRecords: ${logger.storeDir}`);
console.log(`HTML report: ${report}`);
console.log('More: npx error-insight stats --store .error-insight');

for (const socket of held) socket.destroy();
blackHole.close();
await rm(work, { recursive: true, force: true });
await insight.shutdown();

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
