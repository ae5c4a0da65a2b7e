/** infra/observability's files and docker-compose.yml, parsed, for the observability tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../support/platform.js';

export const DIR = join(ROOT, 'infra/observability');
const yaml = (path: string): unknown => parse(readFileSync(path, 'utf8'), { merge: true });

export interface ComposeService {
  image?: string;
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: string[] | Record<string, unknown>;
}
export const compose = yaml(join(ROOT, 'docker-compose.yml')) as { services: Record<string, ComposeService> };

export interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  scrape_interval?: string;
  static_configs?: { targets?: string[]; labels?: Record<string, string> }[];
  [other: string]: unknown;
}
export const prometheus = yaml(join(DIR, 'prometheus.yml')) as {
  global?: { scrape_interval?: string; scrape_timeout?: string; evaluation_interval?: string };
  scrape_configs?: ScrapeConfig[];
};

const provisioning = join(DIR, 'grafana/provisioning');
export const datasources = yaml(join(provisioning, 'datasources/prometheus.yml')) as {
  apiVersion: number;
  datasources: { name: string; uid: string; type: string; url: string; isDefault?: boolean }[];
};
export const dashboardProviders = yaml(join(provisioning, 'dashboards/stockpulse.yml')) as {
  apiVersion: number;
  providers: { name: string; type: string; options: { path: string } }[];
};

/** Every dashboard JSON the provider loads, by file name. */
export const dashboards: Record<string, unknown> = Object.fromEntries(
  readdirSync(join(DIR, 'grafana/dashboards'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(join(DIR, 'grafana/dashboards', f), 'utf8')) as unknown]),
);

/** Every query of a dashboard: each panel target's expr and each variable's query, named for messages. */
export function queriesOf(dashboard: unknown): { where: string; query: string; variable: boolean }[] {
  const d = dashboard as {
    panels?: { title?: string; targets?: { refId?: string; expr?: string }[] }[];
    templating?: { list?: { name?: string; query?: string | { query?: string } }[] };
  };
  const panels = (d.panels ?? []).flatMap((p) =>
    (p.targets ?? []).map((t) => ({ where: `${p.title} ${t.refId}`, query: t.expr ?? '', variable: false })),
  );
  const variables = (d.templating?.list ?? []).map((v) => ({
    where: `variable ${v.name}`,
    query: typeof v.query === 'string' ? v.query : (v.query?.query ?? ''),
    variable: true,
  }));
  return [...panels, ...variables];
}

/** The container path a compose service mounts `hostPath` (relative to the repository) at, read-only. */
export function mountOf(service: ComposeService, hostPath: string): string | undefined {
  for (const v of service.volumes ?? []) {
    const [from, to, mode] = v.split(':');
    if (from?.replace(/^\.\//, '') === hostPath && mode === 'ro') return to;
  }
  return undefined;
}
