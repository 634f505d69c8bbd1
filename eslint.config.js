import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, bottom first (docs/architecture.md). A module imports only from its own
 * layer and those below it; an import of a higher layer is an error, static or dynamic.
 */
const LAYERS = [
  ['errors', 'io', 'package-root', 'fs', 'redact', 'terminal-text', 'i18n'],
  ['docker'],
  ['checks'],
  ['lesson'],
  ['progress', 'images'],
  ['run', 'sandbox'],
  ['doctor', 'report'],
  ['ui'],
  ['commands'],
  ['cli'],
];

/** A relative specifier that reaches one of `names` (a folder of src/, or a file at its top). */
const reaching = (names) => `^(\\.{1,2}/)+(${names.join('|')})(/|\\.js$)`;

function layerRules() {
  return LAYERS.slice(0, -1).map((layer, index) => {
    const above = LAYERS.slice(index + 1).flat();
    const message = `${layer.join(', ')} is below ${above.join(', ')} in the layers of src/ and may not import from them (docs/architecture.md): move the shared piece down, or pass it in.`;
    return {
      files: layer.flatMap((name) => [
        `src/${name}.ts`,
        `src/${name}/**/*.ts`,
        `src/${name}/**/*.tsx`,
      ]),
      rules: {
        'no-restricted-imports': ['error', { patterns: [{ regex: reaching(above), message }] }],
        'no-restricted-syntax': [
          'error',
          {
            selector: `ImportExpression[source.value=/${reaching(above).replaceAll('/', '\\/')}/]`,
            message,
          },
        ],
      },
    };
  });
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'fixtures/', 'lessons/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...layerRules(),
);
