import { describe, expect, it } from 'vitest';
import { dashboardQueries, exposedNames, loadDashboard, metricNames } from '../helpers/grafana.js';

// The shipped dashboard is well formed and covers what issue 12 asks of it; that its metric
// names exist in a live agent's /metrics is test/deploy/grafana.int.test.ts.

const d = loadDashboard();
// Grafana's reference to the dashboard's datasource variable (a literal, not a template).
const DS_VAR = ['$', '{datasource}'].join('');

describe('metric names from PromQL', () => {
  it('takes the selected series, not functions, labels, ranges or variables', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (instance, le) (rate(foo_bucket{instance=~"$instance", a="b c"}[$__rate_interval])))',
      ),
    ).toEqual(['foo_bucket']);
    expect(metricNames('sum(rate(a_total[5m])) / sum(b_count) > 0 and on (x) c')).toEqual([
      'a_total',
      'b_count',
      'c',
    ]);
    expect(dashboardQueries()).toContain('l3ha_routers');
  });

  it('reads families, histogram series and samples from an exposition', () => {
    const names = exposedNames(
      '# HELP x_total h\n# TYPE x_total counter\n# TYPE h_seconds histogram\nh_seconds_bucket{le="1"} 0\ny 1\n',
    );
    expect([...names].sort()).toEqual(
      ['h_seconds', 'h_seconds_bucket', 'h_seconds_count', 'h_seconds_sum', 'x_total', 'y'].sort(),
    );
  });
});

describe('deploy/grafana/l3ha.json', () => {
  it('has a stable uid, unique panel ids and panels inside the 24-column grid', () => {
    expect(d.uid).toBe('l3ha-agent');
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of d.panels) expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
  });

  it('asks the chosen Prometheus data source and filters by the chosen agents', () => {
    expect(d.templating.list.map((v) => [v.name, v.type])).toEqual([
      ['datasource', 'datasource'],
      ['instance', 'query'],
    ]);
    for (const p of d.panels) {
      expect(p.datasource?.uid, p.title).toBe(DS_VAR);
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets ?? []) {
        expect(t.datasource?.uid, p.title).toBe(DS_VAR);
        expect(t.expr, p.title).toContain('instance=~"$instance"');
      }
    }
  });

  it('queries only l3ha series', () => {
    const names = dashboardQueries().flatMap((q) => metricNames(q));
    expect(names.filter((n) => !n.startsWith('l3ha_'))).toEqual([]);
  });

  it('covers roles, transitions, replays, GARPs, split brain, reconcile errors and queue depth', () => {
    const names = new Set(dashboardQueries().flatMap(metricNames));
    for (const n of [
      'l3ha_routers',
      'l3ha_transitions_total',
      'l3ha_replay_duration_seconds_count',
      'l3ha_replay_duration_seconds_bucket',
      'l3ha_garps_sent_total',
      'l3ha_split_brain_routers',
      'l3ha_reconcile_errors_total',
      'l3ha_queue_depth',
    ])
      expect(names.has(n), n).toBe(true);
  });
});
