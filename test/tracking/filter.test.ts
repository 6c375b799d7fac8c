import t from 'tap';
import { InvalidParameterError } from '../../src/errors.js';
import { matchesFilter, parseFilter, parseOrderBy, sortRuns } from '../../src/tracking/filter.js';
import type { Run, RunStatus } from '../../src/tracking/store.js';

function run(
  id: string,
  o: {
    start?: number;
    status?: RunStatus;
    name?: string;
    metrics?: Record<string, number>;
    params?: Record<string, string>;
    tags?: Record<string, string>;
  } = {},
): Run {
  return {
    info: {
      run_id: id,
      run_name: o.name ?? id,
      experiment_id: '1',
      user_id: 'u',
      status: o.status ?? 'FINISHED',
      start_time: o.start ?? 0,
      end_time: null,
      artifact_uri: `/a/${id}`,
      lifecycle_stage: 'active',
    },
    data: { metrics: o.metrics ?? {}, params: o.params ?? {}, tags: o.tags ?? {} },
    inputs: [
      {
        name: 'iris',
        digest: 'abc',
        source_type: 'local',
        source: '/d',
        tags: { 'mlflow.data.context': 'training' },
      },
    ],
    outputs: [],
  };
}

const sample = run('r1', {
  start: 100,
  metrics: { accuracy: 0.95, 'val/loss': 0.2 },
  params: { max_depth: '5', 'my key': 'x' },
  tags: { 'mlflow.runName': 'best-run', team: 'Red' },
  name: 'best-run',
});
const matches = (filter: string): boolean => matchesFilter(sample, parseFilter(filter));

t.test('parses MLflow filters into clauses', async (t) => {
  t.same(parseFilter("metrics.accuracy > 0.9 AND params.max_depth = '5'").clauses, [
    { entity: 'metric', key: 'accuracy', comparator: '>', value: 0.9, position: 1 },
    { entity: 'param', key: 'max_depth', comparator: '=', value: '5', position: 28 },
  ]);
  t.same(parseFilter('').clauses, []);
  t.same(parseFilter('   ').clauses, []);
  t.match(parseFilter('tags.`mlflow.runName` ILIKE "%best%"').clauses[0], {
    entity: 'tag',
    key: 'mlflow.runName',
    comparator: 'ILIKE',
    value: '%best%',
  });
  t.match(parseFilter('params."my key" = \'x\'').clauses[0], { entity: 'param', key: 'my key' });
  t.match(parseFilter("status = 'FINISHED'").clauses[0], { entity: 'attribute', key: 'status' });
  t.match(parseFilter("attribute.status != 'FAILED'").clauses[0], {
    entity: 'attribute',
    key: 'status',
    comparator: '!=',
  });
  t.match(parseFilter('created > 5').clauses[0], { entity: 'attribute', key: 'start_time' });
  t.match(parseFilter("attributes.run_id IN ('a', 'b')").clauses[0], {
    comparator: 'IN',
    value: ['a', 'b'],
  });
  t.match(parseFilter('params.x IS NULL').clauses[0], { comparator: 'IS NULL', value: null });
  t.match(parseFilter('metrics.x >= -1.5e3').clauses[0], { value: -1500 });
  t.match(parseFilter("params.q = 'it''s'").clauses[0], { value: "it's" });
});

t.test('evaluates against a run as MLflow does', async (t) => {
  t.ok(matches('metrics.accuracy > 0.9'));
  t.notOk(matches('metrics.accuracy > 0.95'));
  t.ok(matches('metrics.accuracy >= 0.95'));
  t.ok(matches('metrics.accuracy = 0.95 and metrics.`val/loss` < 0.5'));
  t.ok(matches('metrics.val/loss <= 0.2'));
  t.notOk(matches('metrics.missing != 1'), 'a missing key never matches, not even !=');
  t.ok(matches("params.max_depth = '5'"));
  t.notOk(matches("params.max_depth = '05'"), 'params compare as strings');
  t.ok(matches("params.max_depth != '6'"));
  t.ok(matches("tags.team LIKE 'R%'"));
  t.notOk(matches("tags.team LIKE 'r%'"), 'LIKE is case-sensitive');
  t.ok(matches("tags.team ILIKE 'r_d'"));
  t.ok(matches('tags.absent IS NULL'));
  t.ok(matches('tags.team IS NOT NULL'));
  t.ok(matches("attributes.status = 'FINISHED'"));
  t.ok(matches("run_name = 'best-run'"));
  t.ok(matches('attributes.start_time = 100'));
  t.ok(matches("attributes.run_id IN ('r0', 'r1')"));
  t.ok(matches("attributes.run_id NOT IN ('r0')"));
  t.ok(matches("datasets.name = 'iris' and datasets.context = 'training'"));
  t.ok(matches('params.max_depth = "5"'), 'double-quoted strings');
  t.ok(matches("TAGS.team = 'Red'".replace('TAGS', 'tags')));
  t.ok(matches("metrics.accuracy > 0.5 AnD params.max_depth = '5'"), 'and in any case');
});

t.test('syntax errors are InvalidParameterError naming the position', async (t) => {
  const cases: [string, RegExp][] = [
    ['metrics.accuracy >', /at the end: expected a number/],
    ['metrics.accuracy 0.9', /position 18: expected a comparison operator/],
    ["metrics.accuracy = 'high'", /position 20: expected a number/],
    ['params.max_depth = 5', /position 20: expected a quoted string/],
    ["params.max_depth > '5'", /position 18: operator > is not allowed for param max_depth/],
    ['metrics.a > 1 or metrics.b > 2', /position 15: 'or' is not supported/],
    ['metrics.a > 1 metrics.b > 2', /position 15: expected 'and'/],
    ["foo.bar = 'x'", /position 1: unknown entity 'foo'/],
    ["attributes.colour = 'red'", /position 1: unknown attribute 'colour'/],
    ["params.x = 'unterminated", /position 12: unterminated/],
    ['metrics.a > 1 and', /at the end: expected a key/],
    ['status LIKE 5', /expected a quoted string/],
    ["attributes.status IN ('a')", /operator IN is not allowed/],
  ];
  for (const [filter, message] of cases) {
    t.throws(() => parseFilter(filter), InvalidParameterError, filter);
    t.throws(() => parseFilter(filter), { message }, filter);
  }
});

t.test('order-by entries', async (t) => {
  t.same(parseOrderBy('metrics.accuracy DESC'), {
    entity: 'metric',
    key: 'accuracy',
    ascending: false,
  });
  t.same(parseOrderBy('attributes.start_time ASC'), {
    entity: 'attribute',
    key: 'start_time',
    ascending: true,
  });
  t.same(parseOrderBy('params.max_depth'), { entity: 'param', key: 'max_depth', ascending: true });
  t.same(parseOrderBy('metrics.`val loss` desc'), {
    entity: 'metric',
    key: 'val loss',
    ascending: false,
  });
  t.throws(() => parseOrderBy('metrics.accuracy sideways'), {
    message: /invalid order-by at position 18: expected ASC, DESC/,
  });
  t.throws(() => parseOrderBy('metrics.accuracy DESC extra'), InvalidParameterError);
  t.throws(() => parseOrderBy(''), InvalidParameterError);
});

t.test('sorting: newest first by default, ties by run id, missing values last', async (t) => {
  const runs = [
    run('b', { start: 1, metrics: { acc: 0.9 } }),
    run('a', { start: 1, metrics: { acc: NaN } }),
    run('c', { start: 3 }),
    run('d', { start: 2, metrics: { acc: 0.95 } }),
  ];
  const ids = (list: Run[]): string[] => list.map((r) => r.info.run_id);
  t.same(ids(sortRuns(runs, [])), ['c', 'd', 'a', 'b']);
  t.same(ids(sortRuns(runs, [parseOrderBy('metrics.acc DESC')])), ['d', 'b', 'c', 'a']);
  t.same(ids(sortRuns(runs, [parseOrderBy('metrics.acc ASC')])), ['b', 'd', 'c', 'a']);
  t.same(
    ids(
      sortRuns(runs, [
        parseOrderBy('attributes.start_time ASC'),
        parseOrderBy('attributes.run_id DESC'),
      ]),
    ),
    ['b', 'a', 'd', 'c'],
  );
});
