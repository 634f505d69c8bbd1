/**
 * The layers of src/ are enforced by the project's ESLint config (eslint.config.js): a module
 * that imports from a layer above its own, statically or with import(), is an error; the tree
 * as it stands has none.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

test('a lower layer importing a higher one is refused, with the layers named and the way out', async () => {
  const errors = await layerErrors(
    'src/docker/probe.ts',
    "import type { LessonRun } from './run/lesson-run.js';\nexport type X = LessonRun;\n",
  );
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /docker is below checks, lesson, .*run.* in the layers of src\//);
  assert.match(errors[0]!, /move the shared piece down, or pass it in/);
});

test('a dynamic import() upward is refused too, from any depth', async () => {
  const errors = await layerErrors(
    'src/checks/kinds/probe.ts',
    "export const load = () => import('../commands/verify.js');\n",
  );
  assert.equal(errors.length, 1);
});

test('imports downward and within a layer are allowed', async () => {
  assert.deepEqual(
    await layerErrors(
      'src/run/probe.ts',
      "import { isGone } from './docker/deadline.js';\nimport { lessonFiles } from './lesson/created-names.js';\nimport { RunRecord } from './unit/leftovers.js';\nexport const x = [isGone, lessonFiles, RunRecord];\n",
    ),
    [],
  );
  assert.deepEqual(
    await layerErrors(
      'src/commands/probe.ts',
      "export const load = () => import('./ui/ink-app.js');\n",
    ),
    [],
  );
});

test('the tree as it stands has no import against the layers', async () => {
  const results = await eslint.lintFiles(['src']);
  const against = results.flatMap((r) =>
    r.messages
      .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
      .map((m) => `${r.filePath}:${m.line}: ${m.message}`),
  );
  assert.deepEqual(against, []);
});
