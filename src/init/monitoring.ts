/**
 * The Prometheus and Grafana files init writes are the ones the repository ships under
 * deploy/ (packaged with it), so there is one copy, and it is the copy
 * test/deploy/prometheus.test.ts runs against a real Prometheus. Only the scrape target
 * changes: it names the project's port.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULTS } from '../config/resolve.js';
import { packageRoot } from '../schemas/index.js';
import type { DesiredFile } from './files.js';

export const PROMETHEUS_CONFIG = 'deploy/prometheus/prometheus.yml';
export const MONITORING_FILES = [
  PROMETHEUS_CONFIG,
  'deploy/prometheus/alerts.yml',
  'deploy/grafana/irisops-dashboard.json',
] as const;

/** the scrape target the shipped prometheus.yml names */
export const SHIPPED_TARGET = `localhost:${DEFAULTS.port}`;

function retarget(text: string, port: number): string {
  const parts = text.split(`'${SHIPPED_TARGET}'`);
  // a shipped file that no longer names its target once must fail the tests, not ship as is
  if (parts.length !== 2)
    throw new Error(`${PROMETHEUS_CONFIG} must name the target '${SHIPPED_TARGET}' exactly once`);
  return parts.join(`'localhost:${port}'`);
}

export function monitoringFiles(port: number): DesiredFile[] {
  return MONITORING_FILES.map((file) => {
    const text = readFileSync(path.join(packageRoot, ...file.split('/')), 'utf8');
    return {
      path: file,
      content: Buffer.from(file === PROMETHEUS_CONFIG ? retarget(text, port) : text),
    };
  });
}
