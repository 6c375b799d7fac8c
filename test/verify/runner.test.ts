import t from 'tap';
import { rangeStatus } from '../../src/verify/semver.js';
import { CHECK_IDS, runVerify, selectChecks } from '../../src/verify/index.js';
import { validatorFor } from '../../src/schemas/index.js';
import { UsageError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp.js';
import { fakeService, verifyDeps } from './helpers.js';

t.test(
  '--only and --skip select checks in checklist order; an unknown id is a usage error',
  async (t) => {
    t.same(selectChecks({}), CHECK_IDS);
    t.same(selectChecks({ only: ['ci', 'api'] }), ['api', 'ci']);
    t.same(selectChecks({ only: ['api', 'ci'], skip: ['ci'] }), ['api']);
    t.throws(() => selectChecks({ only: ['apu'] }), UsageError);
    t.throws(() => selectChecks({ skip: ['nope'] }), { message: '--skip: unknown check id nope' });
  },
);

t.test(
  'the report is schema-valid; warn-level problems are warnings, --strict makes them failures',
  async (t) => {
    const url = await fakeService(t);
    const deps = verifyDeps(tempDir(t), { flags: { apiUrl: url } });
    const report = await runVerify(deps, {
      only: ['config', 'api', 'predict', 'contract', 'ci', 'docker'],
    });
    const validate = validatorFor('verify-report');
    t.ok(validate(report), JSON.stringify(validate.errors));
    t.same(
      report.checks.map((c) => [c.id, c.status]),
      [
        ['config', 'pass'],
        ['api', 'pass'],
        ['predict', 'pass'],
        ['contract', 'pass'],
        ['docker', 'warn'],
        ['ci', 'warn'],
      ],
    );
    t.match(report, { ok: true, strict: false, summary: { pass: 4, warn: 2, fail: 0 } });
    const strict = await runVerify(deps, { only: ['config', 'ci'], strict: true });
    t.match(strict, { ok: false, strict: true, summary: { pass: 1, warn: 0, fail: 1 } });
  },
);

t.test(
  'a required check that could not run (prerequisite failed) is not green, even alone',
  async (t) => {
    const report = await runVerify(verifyDeps(tempDir(t)), { only: ['promoted'] });
    t.match(report, {
      ok: false,
      checks: [{ id: 'promoted', status: 'fail', message: /^skipped: / }],
    });
  },
);

t.test('semver ranges as engines and package.json use them', async (t) => {
  const cases: [string, string, boolean][] = [
    ['20.12.0', '>=20.12', true],
    ['20.11.1', '>=20.12', false],
    ['22.1.0', '^20.12.0 || >=22', true],
    ['21.0.0', '^20.12.0 || >=22', false],
    ['1.4.0', '^1.0.0', true],
    ['2.0.0', '^1.0.0', false],
    ['0.2.5', '^0.2.1', true],
    ['0.3.0', '^0.2.1', false],
    ['2.1.9', '~2.1.0', true],
    ['2.2.0', '~2.1.0', false],
    ['3.0.0', '*', true],
    ['1.2.3', '1.2.x', true],
    ['1.3.0', '1.2.x', false],
    ['1.5.0', '1.0.0 - 2.0.0', true],
    ['18.0.0', '>= 18 < 20', true],
    ['20.0.0', '>= 18 < 20', false],
    ['20.12.0', 'v20.12.0', true],
    ['1.2.3', '1.2.3 || 2', true],
  ];
  for (const [v, r, want] of cases)
    t.equal(rangeStatus(v, r), want ? 'satisfied' : 'unsatisfied', `${v} ${r}`);
  // a range semver cannot read was counted as satisfied: now it is neither
  for (const r of ['file:../x', 'latest', '>=20.x.y', 'github:a/b', '^1.0.0 ||| 2'])
    t.equal(rangeStatus('1.0.0', r), 'unreadable', r);
});
