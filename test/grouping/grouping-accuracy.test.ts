import { beforeAll, describe, expect, it } from 'vitest';
import { resolveCaptureLimits } from '../../src/capture/capture-limits.js';
import { normalizeThrown } from '../../src/capture/normalize-thrown.js';
import { Redactor } from '../../src/capture/redactor.js';
import { fingerprintException } from '../../src/grouping/fingerprint.js';
import { tempDir } from '../helpers/temp-dir.js';
import { buildCorpus, type CorpusSample } from './error-corpus.js';

interface Grouped {
  label: string;
  fingerprint: string;
  template: string;
}

const projectRoot = process.cwd();
const limits = resolveCaptureLimits();
const redactor = new Redactor();

function group(samples: readonly CorpusSample[]): Grouped[] {
  return samples.map((s) => {
    const exception = normalizeThrown(s.thrown, limits, redactor);
    const fp = fingerprintException(exception, { projectRoot }, undefined, { phase: s.phase });
    return { label: s.label, fingerprint: fp.fingerprint, template: fp.template };
  });
}

function index<K, V>(
  items: readonly Grouped[],
  key: (g: Grouped) => K,
  value: (g: Grouped) => V,
): Map<K, Set<V>> {
  const m = new Map<K, Set<V>>();
  for (const g of items) {
    let s = m.get(key(g));
    if (s === undefined) {
      s = new Set();
      m.set(key(g), s);
    }
    s.add(value(g));
  }
  return m;
}

/** Pairwise precision (pairs put together that share a cause) and recall (pairs of a cause put together). */
function pairwise(items: readonly Grouped[]): { precision: number; recall: number } {
  let together = 0;
  let togetherRight = 0;
  let sameCause = 0;
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i]!;
      const b = items[j]!;
      const g = a.fingerprint === b.fingerprint;
      const c = a.label === b.label;
      if (g) together++;
      if (c) sameCause++;
      if (g && c) togetherRight++;
    }
  }
  return { precision: together === 0 ? 1 : togetherRight / together, recall: togetherRight / sameCause };
}

describe('grouping a labelled corpus of real errors', () => {
  let grouped: Grouped[];

  beforeAll(async () => {
    grouped = group(await buildCorpus(await tempDir('grouping-corpus-')));
    const causes = index(
      grouped,
      (g) => g.label,
      (g) => g.fingerprint,
    );
    const { precision, recall } = pairwise(grouped);
    console.log(
      `grouping accuracy: ${grouped.length} errors, ${causes.size} causes, ` +
        `${new Set(grouped.map((g) => g.fingerprint)).size} groups, pairwise precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`,
    );
  }, 60_000);

  it('covers at least 25 causes, each triggered at least twice', () => {
    const causes = index(
      grouped,
      (g) => g.label,
      (g) => g,
    );
    expect(causes.size).toBeGreaterThanOrEqual(25);
    for (const [label, members] of causes) expect(members.size, label).toBeGreaterThanOrEqual(2);
  });

  it('never merges two causes into one fingerprint', () => {
    const merged = [
      ...index(
        grouped,
        (g) => g.fingerprint,
        (g) => g.label,
      ),
    ].filter(([, labels]) => labels.size > 1);
    expect(merged.map(([fp, labels]) => `${fp}: ${[...labels].join(' + ')}`)).toEqual([]);
  });

  it('never splits one cause over several fingerprints', () => {
    const split = [
      ...index(
        grouped,
        (g) => g.label,
        (g) => g.fingerprint,
      ),
    ].filter(([, fps]) => fps.size > 1);
    const detail = split.map(
      ([label]) =>
        `${label}: ${[...new Set(grouped.filter((g) => g.label === label).map((g) => g.template))].join(' | ')}`,
    );
    expect(detail).toEqual([]);
  });

  it('reaches pairwise precision and recall of 1', () => {
    expect(pairwise(grouped)).toEqual({ precision: 1, recall: 1 });
  });

  it('masks the variable parts the corpus varies in its templates', () => {
    const templates = Object.fromEntries(grouped.map((g) => [g.label, g.template]));
    expect(templates['config file missing']).toBe('ENOENT: no such file or directory, open <str>');
    expect(templates['encoder socket refused']).toBe('connect ECONNREFUSED <ip>');
    expect(templates['job payload is not JSON']).toBe('Invalid JSON: <json-syntax>');
    expect(templates['job without meta (width)']).toBe(
      "Cannot read properties of undefined (reading 'width')",
    );
    expect(templates['odd resolution']).toBe('unsupported resolution <resolution> at <bitrate>');
    expect(templates['decoded frame missing']).toBe('frame <frame> missing at <timecode> in <path>');
    expect(templates['disk full for output']).toBe(
      'not enough space for encoded output: need <size>, <size> left',
    );
    expect(templates['encoder process exit']).toBe('encoder exited with code <num> while encoding <hex>');
    expect(templates['render deadline exceeded']).toBe('render timed out after <duration>');
  });
});
