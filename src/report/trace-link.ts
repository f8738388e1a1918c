/**
 * Links from a trace id into a trace viewer: Jaeger's UI (`<base>/trace/<id>`) or Grafana's
 * Explore view on a Tempo data source. Used by the HTML report's samples and by the `stats` and
 * `tail` commands. Only http(s) bases are accepted and the id must be 32 hex digits, so a link
 * never carries anything a record could plant.
 */

import { type EnvConfig, readEnvConfig } from '../config/env.js';
import { ReportOptionError } from './report-error.js';

/** Where trace ids link to. */
export interface TraceLinkOptions {
  /** Base URL of a Jaeger UI, e.g. `http://jaeger:16686`. @default `ERROR_INSIGHT_JAEGER_URL` */
  jaegerUrl?: string;
  /** Base URL of a Grafana, e.g. `http://grafana:3000`. @default `ERROR_INSIGHT_GRAFANA_URL` */
  grafanaUrl?: string;
  /** The uid of Grafana's Tempo data source. @default `ERROR_INSIGHT_GRAFANA_TEMPO_UID`, else `'tempo'` */
  grafanaTempoUid?: string;
}

/** Checked bases; at least one is set. */
export interface ResolvedTraceLinks {
  jaeger: string | undefined;
  grafana: string | undefined;
  tempoUid: string;
}

/** Grafana's Tempo data source uid when none is given (the provisioning examples use it). */
export const DEFAULT_TEMPO_UID = 'tempo';

const TRACE_ID = /^[0-9a-f]{32}$/;

function base(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    if (typeof value !== 'string') throw new TypeError();
    url = new URL(value);
  } catch {
    throw new ReportOptionError('ERR_REPORT_INVALID_OPTION', `error-insight: ${name} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ReportOptionError(
      'ERR_REPORT_INVALID_OPTION',
      `error-insight: ${name} must be an http:// or https:// URL`,
    );
  url.search = '';
  url.hash = '';
  return url.href.replace(/\/+$/, '');
}

/** The options over the environment; undefined when no viewer is configured. Bad URLs throw a `ReportOptionError` (a `TypeError`). */
export function resolveTraceLinks(
  options: TraceLinkOptions | undefined,
  env: EnvConfig = readEnvConfig(),
): ResolvedTraceLinks | undefined {
  if (options !== undefined && (options === null || typeof options !== 'object'))
    throw new TypeError('error-insight: traceLinks must be an object');
  const jaeger = base(
    options?.jaegerUrl ?? env.jaegerUrl,
    options?.jaegerUrl ? 'traceLinks.jaegerUrl' : 'ERROR_INSIGHT_JAEGER_URL',
  );
  const grafana = base(
    options?.grafanaUrl ?? env.grafanaUrl,
    options?.grafanaUrl ? 'traceLinks.grafanaUrl' : 'ERROR_INSIGHT_GRAFANA_URL',
  );
  const tempoUid = options?.grafanaTempoUid ?? env.grafanaTempoUid ?? DEFAULT_TEMPO_UID;
  if (typeof tempoUid !== 'string' || tempoUid.length === 0)
    throw new TypeError('error-insight: traceLinks.grafanaTempoUid must be a non-empty string');
  return jaeger === undefined && grafana === undefined ? undefined : { jaeger, grafana, tempoUid };
}

/** The link for a trace id (Jaeger first when both are set); undefined for an id that is not 32 hex digits. */
export function traceLink(
  links: ResolvedTraceLinks | undefined,
  traceId: string | undefined,
): string | undefined {
  if (links === undefined || traceId === undefined || !TRACE_ID.test(traceId)) return undefined;
  if (links.jaeger !== undefined) return `${links.jaeger}/trace/${traceId}`;
  if (links.grafana === undefined) return undefined;
  const pane = {
    datasource: links.tempoUid,
    queries: [
      {
        refId: 'A',
        datasource: { type: 'tempo', uid: links.tempoUid },
        queryType: 'traceql',
        query: traceId,
      },
    ],
    range: { from: 'now-30d', to: 'now' },
  };
  return `${links.grafana}/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify({ ei: pane }))}`;
}

interface LinkableGroup {
  samples: Array<{ trace?: { traceId: string } | undefined }>;
}

/** The groups with `traceUrl` on every sample that has a trace id: what the HTML page links. */
export function withTraceLinks<G extends LinkableGroup>(
  groups: G[],
  links: ResolvedTraceLinks | undefined,
): G[] {
  if (links === undefined) return groups;
  return groups.map((g) => ({
    ...g,
    samples: g.samples.map((s) => {
      const url = traceLink(links, s.trace?.traceId);
      return url === undefined ? s : { ...s, traceUrl: url };
    }),
  }));
}
