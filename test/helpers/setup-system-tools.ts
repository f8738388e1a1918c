import { pathWithMediaTools } from './system-tools.js';

// Every test file (and every process it starts) finds ffmpeg and ffprobe on PATH.
process.env.PATH = pathWithMediaTools();
