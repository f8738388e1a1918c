/**
 * An online message-template miner in the manner of Drain (He et al., ICWS 2017): messages are
 * bucketed by token count and leading tokens, and within a bucket joined to the most similar
 * cluster when enough tokens agree; tokens that differ become `<*>`. It runs on messages that
 * `normalizeMessage` already masked, so it only has to find the variable words the masks do not
 * know (`open` vs `stat`, a property name). Fingerprints that land in one cluster are "similar".
 */

import { BoundedMap } from './bounded-map.js';

export interface TemplateMinerOptions {
  /** Fraction of tokens that must agree to join a cluster, 0..1. @default 0.5 */
  similarity?: number;
  /** Leading tokens that pick the bucket (Drain's tree depth). @default 2 */
  prefixTokens?: number;
  /** Clusters kept; the least recently used is forgotten past it. @default 1000 */
  maxClusters?: number;
  /** Fingerprints remembered per cluster. @default 50 */
  maxFingerprintsPerCluster?: number;
}

export const DEFAULT_TEMPLATE_MINER_OPTIONS = {
  similarity: 0.5,
  prefixTokens: 2,
  maxClusters: 1000,
  maxFingerprintsPerCluster: 50,
} as const;

export type ResolvedTemplateMinerOptions = {
  -readonly [K in keyof typeof DEFAULT_TEMPLATE_MINER_OPTIONS]: number;
};

/** Validates template miner options and fills in the defaults. */
export function resolveTemplateMinerOptions(
  options: TemplateMinerOptions = {},
): ResolvedTemplateMinerOptions {
  const d = DEFAULT_TEMPLATE_MINER_OPTIONS;
  const similarity = options.similarity ?? d.similarity;
  if (typeof similarity !== 'number' || !(similarity >= 0 && similarity <= 1)) {
    throw new RangeError(`similarity must be between 0 and 1, got ${String(similarity)}`);
  }
  const int = (name: string, v: number | undefined, fallback: number, min: number): number => {
    if (v === undefined) return fallback;
    if (!Number.isInteger(v) || v < min)
      throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
    return v;
  };
  return {
    similarity,
    prefixTokens: int('prefixTokens', options.prefixTokens, d.prefixTokens, 0),
    maxClusters: int('maxClusters', options.maxClusters, d.maxClusters, 1),
    maxFingerprintsPerCluster: int(
      'maxFingerprintsPerCluster',
      options.maxFingerprintsPerCluster,
      d.maxFingerprintsPerCluster,
      1,
    ),
  };
}

/** Fingerprints whose messages share a template. */
export interface SimilarGroup {
  template: string;
  fingerprints: string[];
  /** Messages the cluster has taken. */
  count: number;
}

interface Cluster {
  key: string;
  tokens: string[];
  fingerprints: Set<string>;
  count: number;
}

const WILDCARD = '<*>';
const HAS_DIGIT = /\d/;

/** Online template miner; bounded in clusters and in fingerprints per cluster. */
export class TemplateMiner {
  readonly options: ResolvedTemplateMinerOptions;
  /** Bucket key → clusters. */
  private readonly buckets = new Map<string, Cluster[]>();
  private readonly clusters: BoundedMap<Cluster, Cluster>;
  private readonly byFingerprint = new Map<string, Cluster>();

  constructor(options: TemplateMinerOptions = {}) {
    this.options = resolveTemplateMinerOptions(options);
    this.clusters = new BoundedMap(this.options.maxClusters, (c) => this.forget(c));
  }

  /** Adds a message (normally a template already) seen under a fingerprint; returns its template. */
  add(message: string, fingerprint: string): string {
    const tokens = message.split(' ');
    const key = this.bucketKey(tokens);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = [];
      this.buckets.set(key, bucket);
    }
    let best: Cluster | undefined;
    let bestSim = -1;
    for (const c of bucket) {
      const sim = similarity(c.tokens, tokens);
      if (sim > bestSim) {
        bestSim = sim;
        best = c;
      }
    }
    if (best === undefined || bestSim < this.options.similarity) {
      best = { key, tokens, fingerprints: new Set(), count: 0 };
      // Pushed before set(): an eviction may empty and drop a bucket, never this one then.
      bucket.push(best);
      this.clusters.set(best, best);
    } else {
      for (let i = 0; i < tokens.length; i++) if (best.tokens[i] !== tokens[i]) best.tokens[i] = WILDCARD;
      this.clusters.use(best);
    }
    best.count++;
    const previous = this.byFingerprint.get(fingerprint);
    if (previous !== best) {
      previous?.fingerprints.delete(fingerprint);
      if (best.fingerprints.size < this.options.maxFingerprintsPerCluster) {
        best.fingerprints.add(fingerprint);
        this.byFingerprint.set(fingerprint, best);
      } else if (previous !== undefined) {
        this.byFingerprint.delete(fingerprint);
      }
    }
    return best.tokens.join(' ');
  }

  /** Forgets a fingerprint (evicted by the aggregator). */
  remove(fingerprint: string): void {
    const c = this.byFingerprint.get(fingerprint);
    if (c === undefined) return;
    c.fingerprints.delete(fingerprint);
    this.byFingerprint.delete(fingerprint);
  }

  /** The template mined for a fingerprint's messages. */
  templateOf(fingerprint: string): string | undefined {
    return this.byFingerprint.get(fingerprint)?.tokens.join(' ');
  }

  /** Other fingerprints sharing a template with this one (at most 10). */
  similarTo(fingerprint: string): string[] {
    const c = this.byFingerprint.get(fingerprint);
    if (c === undefined || c.fingerprints.size < 2) return [];
    const out: string[] = [];
    for (const fp of c.fingerprints) {
      if (fp !== fingerprint) out.push(fp);
      if (out.length >= 10) break;
    }
    return out;
  }

  /** Templates shared by two or more fingerprints, most messages first (at most 20). */
  similarGroups(): SimilarGroup[] {
    const out: SimilarGroup[] = [];
    for (const c of this.clusters.values()) {
      if (c.fingerprints.size >= 2) {
        out.push({
          template: c.tokens.join(' '),
          fingerprints: [...c.fingerprints].slice(0, 20),
          count: c.count,
        });
      }
    }
    return out.sort((a, b) => b.count - a.count).slice(0, 20);
  }

  private bucketKey(tokens: readonly string[]): string {
    let key = String(tokens.length);
    const n = Math.min(this.options.prefixTokens, tokens.length);
    for (let i = 0; i < n; i++) {
      const t = tokens[i]!;
      key += '\u0000' + (HAS_DIGIT.test(t) || t.startsWith('<') ? WILDCARD : t);
    }
    return key;
  }

  private forget(c: Cluster): void {
    const bucket = this.buckets.get(c.key);
    if (bucket !== undefined) {
      const i = bucket.indexOf(c);
      if (i !== -1) bucket.splice(i, 1);
      if (bucket.length === 0) this.buckets.delete(c.key);
    }
    for (const fp of c.fingerprints) this.byFingerprint.delete(fp);
  }
}

/** Drain's sequence similarity: the share of positions with equal tokens, wildcards not counting. */
function similarity(template: readonly string[], tokens: readonly string[]): number {
  let same = 0;
  for (let i = 0; i < tokens.length; i++) if (template[i] === tokens[i] && template[i] !== WILDCARD) same++;
  return tokens.length === 0 ? 1 : same / tokens.length;
}
