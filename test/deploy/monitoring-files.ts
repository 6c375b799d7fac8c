/**
 * The shipped Prometheus and Grafana files, read as the tests need them: the PromQL of every
 * dashboard panel and variable (with Grafana's variables replaced by what Grafana would put
 * there), and every alert split into its signal and its threshold.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/cli.js';

export const deployFile = (p: string) => path.join(repoRoot, 'deploy', ...p.split('/'));

export interface PrometheusConfig {
  global: Record<string, string>;
  rule_files: string[];
  scrape_configs: {
    job_name: string;
    metrics_path: string;
    static_configs: { targets: string[] }[];
  }[];
}

export const readConfig = () =>
  parse(readFileSync(deployFile('prometheus/prometheus.yml'), 'utf8')) as PrometheusConfig;

export interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
}

export interface RuleFile {
  groups: { name: string; rules: Rule[] }[];
}

export const readRules = () =>
  parse(readFileSync(deployFile('prometheus/alerts.yml'), 'utf8')) as RuleFile;

export interface AlertParts {
  alert: string;
  signal: string;
  op: string;
  threshold: number;
}

/** `<signal> <op> <number>`, the shape alerts.yml promises, or null */
export function splitAlert(rule: Rule): AlertParts | null {
  const m = /^([\s\S]+?)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(rule.expr.trim());
  if (!m) return null;
  return { alert: rule.alert, signal: m[1] as string, op: m[2] as string, threshold: Number(m[3]) };
}

interface Panel {
  title: string;
  type: string;
  id: number;
  datasource?: { type: string; uid: string };
  targets?: { expr: string; legendFormat?: string; datasource?: { uid: string } }[];
  panels?: Panel[];
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; definition?: string }[] };
}

export const readDashboard = () =>
  JSON.parse(readFileSync(deployFile('grafana/irisops-dashboard.json'), 'utf8')) as Dashboard;

export function allPanels(d: Dashboard): Panel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** Grafana's values for the variables the dashboard uses; any other `$` is left to fail */
export const GRAFANA_VARIABLES: Record<string, string> = {
  $__rate_interval: '1m',
  $instance: '.+',
};

export function substitute(expr: string): string {
  return Object.entries(GRAFANA_VARIABLES).reduce((e, [k, v]) => e.split(k).join(v), expr);
}

export interface DashboardQuery {
  where: string;
  expr: string;
  /** the labels its legend shows: every series it returns must carry them */
  labels: string[];
}

/** every query the dashboard sends: panel targets, and the variables' label_values() */
export function dashboardQueries(d: Dashboard): DashboardQuery[] {
  const targets = allPanels(d).flatMap((p) =>
    (p.targets ?? []).map((t) => ({
      where: `panel "${p.title}"`,
      expr: substitute(t.expr),
      labels: [...(t.legendFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map(
        (m) => m[1] as string,
      ),
    })),
  );
  const variables = d.templating.list
    .filter((v) => v.type === 'query')
    .map((v) => {
      const m = /^label_values\((\w+), *(\w+)\)$/.exec(v.definition ?? '');
      // label_values(metric, label) is what Grafana asks Prometheus as a series lookup
      return {
        where: `variable $${v.name}`,
        expr: m ? `count by (${m[2]}) (${m[1]})` : `unparsed: ${v.definition}`,
        labels: m ? [m[2] as string] : [],
      };
    });
  return [...targets, ...variables];
}

/** irisops metric names an expression reads */
export const metricNames = (expr: string) => [...new Set(expr.match(/\birisops_\w+/g) ?? [])];
