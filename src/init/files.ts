/**
 * What init wants on disk, rendered from the answers: paths relative to the project folder
 * ('/'-separated) and their exact bytes. Nothing here touches the disk except reading the
 * templates and the bundled data set.
 */
import { readFileSync } from 'node:fs';
import { bundledDataPath } from '../data/dataset.js';
import { CONFIG_FILE } from '../config/resolve.js';
import type { IrisopsConfig } from '../schemas/types.js';
import { configFor, isServerUri, type InitAnswers } from './answers.js';
import { monitoringFiles } from './monitoring.js';
import { GITIGNORE_FILE, WORKFLOW_FILE, imageName, shellWord } from './project.js';
import { renderTemplate } from './templates.js';

export interface DesiredFile {
  path: string;
  content: Buffer;
  /** .gitignore: lines to add to an existing file rather than replacing it */
  mergeLines?: boolean;
}

function trainStep(a: InitAnswers): string {
  if (isServerUri(a.tracking_uri)) {
    return [
      `# The model comes from the MLflow server in irisops.config.json (${a.tracking_uri.replace(/\/\/[^/@]*@/, '//')})`,
      '# when the container starts: train and promote there first, or point the container at',
      '# another server with: docker run -e MLFLOW_TRACKING_URI=<url> ...',
    ].join('\n');
  }
  return [
    '# Train and promote while the image builds, into the folder the service reads at run time',
    '# (the store records absolute artifact locations). MLFLOW_TRACKING_URI set at run time',
    '# switches the container to an MLflow server instead.',
    'ENV MLFLOW_TRACKING_URI=/app/mlruns',
    `RUN irisops train && irisops registry promote ${shellWord(a.model_name)} 1 --alias ${a.alias}`,
  ].join('\n');
}

export function desiredFiles(
  a: InitAnswers,
  previous: IrisopsConfig | null,
  irisopsVersion: string,
): DesiredFile[] {
  const image = imageName(a.project);
  const oneLine = (s: string) => s.replace(/\s+/g, ' ');
  const files: DesiredFile[] = [
    {
      path: CONFIG_FILE,
      content: Buffer.from(`${JSON.stringify(configFor(a, previous), null, 2)}\n`),
    },
    { path: 'data/iris.csv', content: readFileSync(bundledDataPath) },
    {
      path: GITIGNORE_FILE,
      content: Buffer.from(renderTemplate('gitignore', {})),
      mergeLines: true,
    },
  ];
  if (a.docker) {
    files.push(
      {
        path: 'Dockerfile',
        content: Buffer.from(
          renderTemplate('Dockerfile', {
            project: oneLine(a.project),
            version: irisopsVersion,
            image,
            port: a.port,
            train_step: trainStep(a),
          }),
        ),
      },
      { path: '.dockerignore', content: Buffer.from(renderTemplate('dockerignore', {})) },
    );
  }
  if (a.ci) {
    // the container job template is a document of its own (so it stays valid YAML): its jobs go after the model job
    const container = a.docker
      ? `\n${renderTemplate('workflow-container.yml', { image, port: a.port, version: irisopsVersion }).replace(/^[\s\S]*?\njobs:\n/, '')}`
      : '';
    const workflow = `${renderTemplate('workflow.yml', {
      project: oneLine(a.project),
      version: irisopsVersion,
      model_name: shellWord(a.model_name),
      alias: a.alias,
      port: a.port,
    })}${container}`.replace(/\n+$/, '\n');
    files.push({ path: WORKFLOW_FILE, content: Buffer.from(workflow) });
  }
  files.push(...monitoringFiles(a.port));
  return files;
}
