/**
 * deploy/k8s: every manifest and the kustomize build of the base and the MLflow overlay
 * validate against the Kubernetes schemas (kubernetes-validate, PyPI), and hold the
 * properties the deployment relies on. `kubectl kustomize` renders the builds where kubectl
 * exists; without it the overlay's own files are still parsed and checked.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { parseAllDocuments } from 'yaml';
import { tempDir } from '../helpers/fixtures.js';
import { requireMlflow } from '../helpers/python.js';

const root = fileURLToPath(new URL('../../deploy/k8s/', import.meta.url));
const python = requireMlflow(t);
const kubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

type Doc = { kind: string; metadata: { name: string } };

/** The value at a dotted path (numbers index arrays), for reading rendered manifests. */
function at(value: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], value);
}

function docsOf(text: string): Doc[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Doc);
}

function build(dir: string): string {
  const run = spawnSync('kubectl', ['kustomize', path.join(root, dir)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout;
}

function validate(t: Test, file: string) {
  if (!python) return;
  const validator = path.join(path.dirname(python), 'kubernetes-validate');
  const run = spawnSync(validator, ['--strict', '--quiet', file], { encoding: 'utf8' });
  t.equal(run.status, 0, `${path.basename(file)}: ${run.stdout}${run.stderr}`);
}

const manifests = readdirSync(path.join(root, 'base')).filter((f) => f !== 'kustomization.yaml');

t.test('every base manifest validates against the Kubernetes schemas', async (t) => {
  for (const file of manifests) {
    validate(t, path.join(root, 'base', file));
    t.ok(docsOf(readFileSync(path.join(root, 'base', file), 'utf8')).length > 0, file);
  }
});

t.test('the kustomize builds validate and hold what the deployment relies on', async (t) => {
  if (!kubectl) {
    t.plan(0, 'kubectl is not installed: the builds are not rendered here');
    return;
  }
  const dir = tempDir(t);
  for (const overlay of ['base', 'overlays/mlflow']) {
    const text = build(overlay);
    const file = path.join(dir, `${overlay.replace('/', '-')}.yaml`);
    writeFileSync(file, text);
    validate(t, file);
    const docs = docsOf(text);
    const byKind = (kind: string) => docs.find((d) => d.kind === kind) as Doc;
    t.same(
      docs.map((d) => d.kind).sort(),
      [
        'ConfigMap',
        'Deployment',
        'HorizontalPodAutoscaler',
        'PodDisruptionBudget',
        'Service',
        ...(overlay === 'base' ? [] : ['Secret']),
      ].sort(),
    );
    const deployment = byKind('Deployment');
    const pod = at(deployment, 'spec.template.spec');
    const container = at(pod, 'containers.0');
    t.equal(at(deployment, 'spec.replicas'), 2);
    t.equal(at(container, 'readinessProbe.httpGet.path'), '/v2/health/ready');
    t.equal(at(container, 'livenessProbe.httpGet.path'), '/v2/health/live');
    t.ok(at(container, 'resources.requests.cpu') && at(container, 'resources.limits.memory'));
    t.equal(at(pod, 'securityContext.runAsNonRoot'), true);
    t.equal(at(container, 'securityContext.readOnlyRootFilesystem'), true);
    t.same(at(container, 'securityContext.capabilities.drop'), ['ALL']);
    t.equal(at(container, 'securityContext.allowPrivilegeEscalation'), false);
    const args = at(container, 'args') as string[];
    const flag = (name: string) => args[args.indexOf(name) + 1];
    const drainS = Number(flag('--drain-ms')) / 1000;
    const shutdownS = Number(flag('--shutdown-timeout')) / 1000;
    t.ok(
      (at(pod, 'terminationGracePeriodSeconds') as number) > drainS + shutdownS,
      'grace outlasts drain + shutdown',
    );
    const labels = at(deployment, 'spec.template.metadata.labels');
    t.same(at(deployment, 'spec.selector.matchLabels'), labels, 'Deployment selects its pods');
    t.same(at(byKind('PodDisruptionBudget'), 'spec.selector.matchLabels'), labels, 'PDB too');
    t.same(at(byKind('Service'), 'spec.selector'), labels, 'Service selects the pods');
    t.equal(at(byKind('HorizontalPodAutoscaler'), 'spec.scaleTargetRef.name'), 'irisops');
    t.equal(at(byKind('HorizontalPodAutoscaler'), 'spec.minReplicas'), 2);
    t.equal(at(container, 'envFrom.0.configMapRef.name'), byKind('ConfigMap').metadata.name);
    if (overlay !== 'base') {
      t.equal(at(container, 'envFrom.1.secretRef.name'), byKind('Secret').metadata.name);
      t.match(at(byKind('ConfigMap'), 'data.MLFLOW_TRACKING_URI'), /^http:\/\//);
      t.ok(at(byKind('Secret'), 'data.MLFLOW_TRACKING_TOKEN'), 'the token from the Secret');
      t.equal(flag('--reload-interval'), '5', 'replicas follow promotions');
    }
  }
});

t.test('the README shows kubectl apply -k on the overlay', async (t) => {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  t.match(readme, 'kubectl apply -k deploy/k8s/overlays/mlflow');
});
