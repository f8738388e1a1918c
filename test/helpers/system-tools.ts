import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';

/**
 * The tests drive a real ffmpeg, ffprobe and Chromium. Debian's are used when installed; on a
 * machine without them the ones shipped inside registry packages (devDependencies) take over,
 * so `npm install && npm test` needs nothing else.
 */

const require = createRequire(import.meta.url);

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where a command named `name` would be found on PATH, or undefined. */
export function onPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir !== '' && executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** The packaged ffmpeg and ffprobe by command name; none on a platform the packages do not ship. */
export function packagedMediaTools(): Partial<Record<'ffmpeg' | 'ffprobe', string>> {
  const tools: Partial<Record<'ffmpeg' | 'ffprobe', string>> = {};
  for (const [name, pkg] of [
    ['ffmpeg', '@ffmpeg-installer/ffmpeg'],
    ['ffprobe', '@ffprobe-installer/ffprobe'],
  ] as const) {
    try {
      tools[name] = (require(pkg) as { path: string }).path;
    } catch {
      // The tests that need the tool then say it is missing.
    }
  }
  return tools;
}

/**
 * PATH with the packaged ffmpeg/ffprobe directories appended for each tool PATH lacks, so a
 * system install still comes first and child processes (CLI, examples) find the same tools.
 */
export function pathWithMediaTools(path = process.env.PATH ?? ''): string {
  const extra: string[] = [];
  for (const [name, file] of Object.entries(packagedMediaTools())) {
    if (onPath(name, path) === undefined && executable(file)) extra.push(dirname(file));
  }
  return [path, ...extra].filter((p) => p !== '').join(delimiter);
}

export interface BrowserLaunch {
  executablePath: string;
  args: string[];
  /** Which Chromium: Debian's or the one the package carries. */
  source: 'system' | 'package';
}

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const COMMON_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium when installed, else the headless shell inside `@sparticuz/chromium`. */
export async function chromiumLaunch(): Promise<BrowserLaunch> {
  const system = SYSTEM_CHROMIUM.find(executable);
  if (system !== undefined) {
    return { executablePath: system, args: ['--headless', ...COMMON_ARGS], source: 'system' };
  }
  const { default: Chromium } = await import('@sparticuz/chromium');
  // The package's binary is a headless shell. Its serverless flags run it as one process, which
  // ends the browser with the first closed page, so only the headless and sandbox ones are kept.
  return {
    executablePath: await Chromium.executablePath(),
    args: ['--headless=shell', '--no-zygote', ...COMMON_ARGS],
    source: 'package',
  };
}
