import { describe, expect, it } from '@jest/globals';
import { Compile } from 'typebox/compile';
import { DashboardSchema, type GrafanaDashboard } from './dashboard-schema.js';
import { dashboards, datasources, queriesOf } from './files.js';
import { parsePromQL, parseVariableQuery } from './promql.js';

const validator = Compile(DashboardSchema);
const entries = Object.entries(dashboards);
const source = datasources.datasources[0]!;
const overlap = (a: GrafanaDashboard['panels'][number], b: GrafanaDashboard['panels'][number]) =>
  a.gridPos.x < b.gridPos.x + b.gridPos.w &&
  b.gridPos.x < a.gridPos.x + a.gridPos.w &&
  a.gridPos.y < b.gridPos.y + b.gridPos.h &&
  b.gridPos.y < a.gridPos.y + a.gridPos.h;

describe('infra/observability/grafana/dashboards', () => {
  it('holds the pipeline dashboard', () => {
    expect(Object.keys(dashboards)).toContain('stockpulse-pipeline.json');
  });

  it.each(entries)('%s has every field Grafana needs of a provisioned dashboard', (_file, dashboard) => {
    const errors = [...validator.Errors(dashboard)].map((e) => `${e.instancePath} ${e.message}`);
    expect(errors).toEqual([]);
  });

  it.each(entries)('%s lays out uniquely numbered panels on the 24-column grid without overlap', (_f, d) => {
    const { panels } = d as GrafanaDashboard;
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const p of panels) expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    const clashes = panels.flatMap((a, i) =>
      panels.slice(i + 1).flatMap((b) => (overlap(a, b) ? [`${a.title} / ${b.title}`] : [])),
    );
    expect(clashes).toEqual([]);
  });

  it.each(entries)('%s queries the provisioned Prometheus data source, by its uid', (_file, dashboard) => {
    const d = dashboard as GrafanaDashboard;
    const refs = [
      ...d.panels.flatMap((p) => [p.datasource, ...p.targets.map((t) => t.datasource)]),
      ...d.templating.list.map((v) => v.datasource),
    ];
    expect(refs.length).toBeGreaterThan(d.panels.length);
    for (const ref of refs) expect(ref).toEqual({ type: source.type, uid: source.uid });
  });

  it('has no two dashboards with the same uid', () => {
    const uids = entries.map(([, d]) => (d as GrafanaDashboard).uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it.each(entries)(
    "%s: every query parses as PromQL and names each selector's metric",
    (_file, dashboard) => {
      const queries = queriesOf(dashboard);
      expect(queries.length).toBeGreaterThan(0);
      for (const { where, query, variable } of queries) {
        const parsed = variable ? parseVariableQuery(query) : parsePromQL(query);
        expect({ where, errors: parsed.errors }).toEqual({ where, errors: [] });
        expect(parsed.selectors.length).toBeGreaterThan(0);
        for (const s of parsed.selectors)
          expect({ where, metric: s.metric }).toEqual({ where, metric: expect.any(String) });
      }
    },
  );
});

describe('the PromQL check itself', () => {
  it('finds a syntax error, and reads metric names, matchers and grouping labels', () => {
    expect(parsePromQL('sum by (topic) (rate(x_total[1m]) -').errors).not.toEqual([]);
    expect(parsePromQL('sum(rate(x_total{a="1"}[$__rate_interval]))')).toEqual({
      errors: [],
      selectors: [{ metric: 'x_total', labels: ['a'] }],
      grouping: [],
    });
    expect(parsePromQL('sum by (t) (a) - on (t) group_right () sum by (t, s) (b{o!="r"})')).toEqual({
      errors: [],
      selectors: [
        { metric: 'a', labels: [] },
        { metric: 'b', labels: ['o'] },
      ],
      grouping: ['t', 't', 't', 's'],
    });
    expect(parseVariableQuery('label_values(up{job="x"}, instance)').selectors).toEqual([
      { metric: 'up', labels: ['job', 'instance'] },
    ]);
  });

  it('rejects a dashboard without panels or with a panel lacking its grid position', () => {
    const d = dashboards['stockpulse-pipeline.json'] as GrafanaDashboard;
    expect(validator.Check({ ...d, panels: [] })).toBe(false);
    const { gridPos: _dropped, ...panel } = d.panels[0]!;
    expect(validator.Check({ ...d, panels: [panel] })).toBe(false);
    expect(validator.Check(d)).toBe(true);
  });
});
