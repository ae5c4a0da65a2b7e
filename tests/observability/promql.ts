/**
 * PromQL of the dashboard and its variables, read with the Prometheus project's own grammar
 * (@prometheus-io/lezer-promql, the parser of Prometheus' web UI). It checks syntax only: promtool, which
 * also type-checks an expression, is a Go binary and cannot be installed here.
 */
import { parser } from '@prometheus-io/lezer-promql';

/** One series selector: its metric name and the labels it matches on. */
export interface Selector {
  metric: string | undefined;
  labels: string[];
}

export interface ParsedExpr {
  /** Syntax errors, each with the text around it; empty when the expression parses. */
  errors: string[];
  selectors: Selector[];
  /** Labels of every `by`, `without`, `on` and `ignoring` clause. */
  grouping: string[];
}

/** Grafana's interval macros, replaced as Grafana does before it sends a query to Prometheus. */
const MACROS = /\$__(rate_interval|interval|range)\b/g;

export function parsePromQL(expr: string): ParsedExpr {
  const text = expr.replace(MACROS, '1m');
  const result: ParsedExpr = { errors: [], selectors: [], grouping: [] };
  const at = (from: number, to: number) => text.slice(from, to);
  parser.parse(text).iterate({
    enter(ref) {
      if (ref.type.isError) result.errors.push(`at ${ref.from}: …${at(ref.from - 20, ref.to + 20)}…`);
      if (ref.name === 'GroupingLabels')
        for (const label of ref.node.getChildren('LabelName')) result.grouping.push(at(label.from, label.to));
      if (ref.name !== 'VectorSelector') return;
      const name = ref.node.getChild('Identifier');
      const matchers = ref.node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? [];
      result.selectors.push({
        metric: name ? at(name.from, name.to) : undefined,
        labels: matchers.flatMap((m) => {
          const label = m.getChild('LabelName');
          return label ? [at(label.from, label.to)] : [];
        }),
      });
    },
  });
  return result;
}

/**
 * A variable's query: Grafana's `label_values(selector, label)` (its own function, not PromQL) as the
 * selector plus the label it lists; anything else as a PromQL expression.
 */
export function parseVariableQuery(query: string): ParsedExpr {
  const match = /^label_values\((.+),\s*([a-zA-Z_]\w*)\)$/.exec(query.trim());
  if (!match) return parsePromQL(query);
  const parsed = parsePromQL(match[1]!);
  parsed.selectors = parsed.selectors.map((s) => ({ ...s, labels: [...s.labels, match[2]!] }));
  return parsed;
}
