import { readFileSync } from 'node:fs';

// The shipped Grafana dashboard and the metric names its PromQL reads.

export const DASHBOARD_FILE = new URL('../../deploy/grafana/l3ha.json', import.meta.url).pathname;

export interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly gridPos: { h: number; w: number; x: number; y: number };
  readonly datasource?: { uid?: string };
  readonly targets?: { expr?: string; refId?: string; datasource?: { uid?: string } }[];
}

export function loadDashboard(): {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: unknown; definition?: string }[] };
} {
  return JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8'));
}

// Every PromQL text in the dashboard: the panels' targets and the variables' queries (for
// Grafana's label_values(METRIC, LABEL), the METRIC).
export function dashboardQueries(): string[] {
  const d = loadDashboard();
  const targets = d.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''));
  const vars = d.templating.list.flatMap((v) =>
    v.definition ? [v.definition.replace(/^label_values\(\s*([^,)]+?)\s*,[^)]*\)$/, '$1')] : [],
  );
  return [...targets, ...vars];
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset']);
const OPERATORS = new Set(['and', 'or', 'unless']);

// The metric names one PromQL expression selects: what is left once strings, label matchers,
// ranges, variables, grouping clauses and function calls are taken out.
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\$\w+/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const m of bare.matchAll(/(?<![\w.])([A-Za-z_:][\w:]*)(\s*\()?/g)) {
    const [, name, call] = m as unknown as [string, string, string | undefined];
    if (call || KEYWORDS.has(name) || OPERATORS.has(name)) continue;
    names.add(name);
  }
  return [...names];
}

// The series names a /metrics page offers: each family from its # TYPE line (a labelled
// counter with no sample yet still has one), histograms with _bucket, _sum and _count, and
// every sample's name.
export function exposedNames(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = m as unknown as [string, string, string];
    out.add(name);
    if (type === 'histogram' || type === 'summary')
      for (const s of ['_bucket', '_sum', '_count']) out.add(name + s);
  }
  for (const m of text.matchAll(/^([A-Za-z_:][\w:]*)[{ ]/gm)) out.add(m[1] as string);
  return out;
}
