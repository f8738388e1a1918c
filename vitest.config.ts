import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: { 'error-insight': fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // ffmpeg/ffprobe from the devDependencies when the system has none (test/helpers/system-tools.ts).
    setupFiles: ['test/helpers/setup-system-tools.ts'],
    // Child-process and browser tests spawn real processes; 2 cores on CI.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
