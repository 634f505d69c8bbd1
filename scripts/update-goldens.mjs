// Rewrites the expected diagnostics at the end of every fixtures/lessons/bad/*.md from what
// lint reports now. Review the diff before committing: the goldens are the specification.
// Usage: npx tsx scripts/update-goldens.mjs
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintSources } from '../src/lesson/lint.ts';
import { readIfExists } from '../src/lesson/loader.ts';
import { formatGolden, stripGolden } from '../test/helpers/golden.ts';

const dir = 'fixtures/lessons/bad';
for (const name of readdirSync(dir)
  .filter((n) => n.endsWith('.md'))
  .sort()) {
  const path = join(dir, name);
  const body = stripGolden(readFileSync(path, 'utf8'));
  writeFileSync(path, body);
  const { diagnostics } = await lintSources(
    [{ path, shown: name, text: body }],
    readIfExists,
    process.cwd(),
  );
  writeFileSync(path, `${body}${formatGolden(diagnostics)}`);
  console.log(`${name}: ${diagnostics.length} diagnostics`);
}
