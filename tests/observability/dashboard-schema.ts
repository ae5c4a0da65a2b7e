/**
 * The fields Grafana needs of a provisioned dashboard, as a TypeBox schema.
 *
 * Why TypeBox and not Grafana's own schema: no maintained npm package ships a JSON Schema of the dashboard
 * model. @grafana/schema (Grafana Labs) ships TypeScript types generated from Grafana's CUE definitions and
 * nothing that validates at run time. So this schema states what Grafana requires (title, uid, schemaVersion,
 * panels with id, type, title, gridPos and queries with a data source), stricter than Grafana where a
 * provisioned dashboard should be (a uid, a title on every panel); unknown fields pass, as Grafana keeps
 * them. The type check at the bottom holds it to @grafana/schema's `Dashboard`: a dashboard this schema
 * accepts type-checks as a Grafana dashboard.
 */
import type { Dashboard } from '@grafana/schema';
import Type, { type Static } from 'typebox';

/** A data source by its uid, as a provisioned data source declares it (grafana/provisioning/datasources). */
export const DataSourceRef = Type.Object({
  type: Type.String({ minLength: 1 }),
  uid: Type.String({ minLength: 1 }),
});

export const PromTarget = Type.Object({
  refId: Type.String({ pattern: '^[A-Z]$' }),
  datasource: DataSourceRef,
  expr: Type.String({ minLength: 1 }),
  legendFormat: Type.Optional(Type.String()),
});

/** Grafana's grid is 24 columns wide; a height counts rows of 30 px. */
export const GridPos = Type.Object({
  x: Type.Integer({ minimum: 0, maximum: 23 }),
  y: Type.Integer({ minimum: 0 }),
  w: Type.Integer({ minimum: 1, maximum: 24 }),
  h: Type.Integer({ minimum: 1 }),
});

export const PanelSchema = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  type: Type.Union([
    Type.Literal('timeseries'),
    Type.Literal('stat'),
    Type.Literal('bargauge'),
    Type.Literal('table'),
  ]),
  title: Type.String({ minLength: 1 }),
  description: Type.Optional(Type.String()),
  gridPos: GridPos,
  datasource: DataSourceRef,
  targets: Type.Array(PromTarget, { minItems: 1 }),
});

export const QueryVariable = Type.Object({
  name: Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' }),
  type: Type.Literal('query'),
  datasource: DataSourceRef,
  query: Type.Object({ query: Type.String({ minLength: 1 }), refId: Type.String() }),
});

export const DashboardSchema = Type.Object({
  uid: Type.String({ pattern: '^[a-zA-Z0-9_-]{1,40}$' }),
  title: Type.String({ minLength: 1 }),
  // 36: the first version whose panels all name their data source by reference (Grafana 9); older ones migrate
  schemaVersion: Type.Integer({ minimum: 36 }),
  time: Type.Object({ from: Type.String(), to: Type.String() }),
  templating: Type.Object({ list: Type.Array(QueryVariable) }),
  panels: Type.Array(PanelSchema, { minItems: 1 }),
});
export type GrafanaDashboard = Static<typeof DashboardSchema>;

// Compile-time only: what the schema accepts is a Dashboard of @grafana/schema (tsc fails otherwise).
type Accepted<T> = T extends Dashboard ? true : false;
export const matchesGrafanaTypes: Accepted<GrafanaDashboard> = true;
