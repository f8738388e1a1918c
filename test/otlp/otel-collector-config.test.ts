import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

type Section = Record<string, unknown>;
interface CollectorConfig {
  receivers: Section;
  processors: Section;
  exporters: Section;
  service: { pipelines: Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }> };
}

/** The component types the config may use, by section, and which signals each one serves. */
const KNOWN: Record<'receivers' | 'processors' | 'exporters', Record<string, string[]>> = {
  receivers: { otlp: ['traces', 'metrics', 'logs'], otlpjsonfile: ['traces', 'metrics', 'logs'] },
  processors: { memory_limiter: ['traces', 'metrics', 'logs'], batch: ['traces', 'metrics', 'logs'] },
  exporters: {
    otlp: ['traces', 'metrics', 'logs'],
    otlphttp: ['traces', 'metrics', 'logs'],
    file: ['traces', 'metrics', 'logs'],
    debug: ['traces', 'metrics', 'logs'],
  },
};

const typeOf = (id: string) => id.split('/')[0] as string;

async function config(): Promise<CollectorConfig> {
  return parse(await readFile(join(process.cwd(), 'otel-collector.yaml'), 'utf8')) as CollectorConfig;
}

describe('otel-collector.yaml', () => {
  it('has a traces, a metrics and a logs pipeline, each naming only defined components of a known type', async () => {
    const c = await config();
    expect(Object.keys(c.service.pipelines).sort()).toEqual(['logs', 'metrics', 'traces']);
    for (const [signal, pipeline] of Object.entries(c.service.pipelines)) {
      expect(pipeline.receivers.length, signal).toBeGreaterThan(0);
      expect(pipeline.exporters.length, signal).toBeGreaterThan(0);
      for (const section of ['receivers', 'processors', 'exporters'] as const) {
        for (const id of pipeline[section] ?? []) {
          expect(Object.keys(c[section]), `${signal} ${section} ${id}`).toContain(id);
          expect(KNOWN[section][typeOf(id)], `${signal} ${section} ${id}`).toContain(signal);
        }
      }
      // The memory limiter must come first to refuse data before anything else holds it.
      expect(pipeline.processors?.[0], signal).toBe('memory_limiter');
    }
  });

  it('uses every component it defines', async () => {
    const c = await config();
    const used = new Set(
      Object.values(c.service.pipelines).flatMap((p) => [
        ...p.receivers,
        ...(p.processors ?? []),
        ...p.exporters,
      ]),
    );
    for (const section of ['receivers', 'processors', 'exporters'] as const)
      for (const id of Object.keys(c[section])) expect(used.has(id), `${section} ${id}`).toBe(true);
  });

  it('writes OTLP/JSON files for report --otlp that the otlpjsonfile receiver never reads back', async () => {
    const c = await config();
    const files = Object.entries(c.exporters)
      .filter(([id]) => typeOf(id) === 'file')
      .map(([, v]) => v as { path: string; format: string });
    expect(files.map((f) => f.format)).toEqual(['json', 'json', 'json']);
    const traces = c.service.pipelines.traces?.exporters ?? [];
    const logs = c.service.pipelines.logs?.exporters ?? [];
    expect(traces).toContain('file/traces');
    expect(logs).toContain('file/logs');
    expect(logs).toContain('otlphttp/loki');
    expect(traces).toContain('otlp/jaeger');
    const include = (c.receivers.otlpjsonfile as { include: string[] }).include;
    for (const f of files)
      for (const glob of include) {
        const dir = glob.slice(0, glob.lastIndexOf('/') + 1);
        expect(f.path.startsWith(dir), `${f.path} under ${glob}`).toBe(false);
      }
  });
});
