// The least a /predict server must do for what irisops promises, on the same node:http: parse
// and validate the body with irisops' own compiled schema, predict with irisops' forest,
// answer with a request id and nosniff, count the request and observe its latency in a
// prom-client counter and histogram. No routing, no variants, no feedback, no drift window,
// no log. bench/serve.mjs measures irisops against it, to tell what the behaviours cost from
// what irisops adds on top of them.
//   node bench/essential-server.mjs <model.json>
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(path.join(root, 'package.json'));
const validate = require(path.join(root, 'dist/schemas/validators/predict-request.strip.cjs'));
const prom = require('prom-client');
const { compilePredictor } = await import(path.join(root, 'dist/model/predictor.js'));

const predictor = compilePredictor(JSON.parse(readFileSync(process.argv[2], 'utf8')));
const requests = new prom.Counter({ name: 'requests', help: '-', labelNames: ['variant'] });
const latency = new prom.Histogram({ name: 'latency', help: '-', labelNames: ['variant'] });
const x = new Float64Array(predictor.nFeatures);
const votes = new Int32Array(predictor.nClasses);
const idPrefix = randomUUID().slice(0, 24);
let sequence = 0;

function answer(res, body, started) {
  for (let i = 0; i < x.length; i++) x[i] = body.features[predictor.featureNames[i]];
  const c = predictor.predictInto(x, votes);
  const probabilities = {};
  for (let k = 0; k < votes.length; k++)
    probabilities[predictor.classLabels[k]] = votes[k] / predictor.nTrees;
  const json = JSON.stringify({
    prediction: c,
    prediction_label: predictor.classLabels[c],
    confidence: votes[c] / predictor.nTrees,
    model_version: '1',
    probabilities,
  });
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    'x-content-type-options': 'nosniff',
    'x-request-id': idPrefix + String(++sequence).padStart(12, '0'),
  });
  res.end(json);
  requests.inc({ variant: 'champion' });
  latency.observe({ variant: 'champion' }, (performance.now() - started) / 1000);
}

http
  .createServer((req, res) => {
    const started = performance.now();
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (validate(body)) answer(res, body, started);
      else {
        res.writeHead(422);
        res.end();
      }
    });
  })
  .listen(0, '127.0.0.1', function () {
    process.stderr.write(`listening on http://127.0.0.1:${this.address().port}\n`);
  });
