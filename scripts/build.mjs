// Bundles the CLI with esbuild. Each subcommand is a dynamic import and so its own chunk:
// `docker-lab --version` loads only the tiny entry chunk.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  // Optional peer of ink, only used with React DevTools; native addons are not bundleable.
  external: ['react-devtools-core', 'cpu-features', 'ssh2'],
  // Bundled CommonJS dependencies call require(); give ESM chunks one.
  banner: {
    js: "import { createRequire as __dlCreateRequire } from 'node:module';const require = __dlCreateRequire(import.meta.url);",
  },
  // yaml's Node build reads process.env.LOG_TOKENS for every token it parses, a slow lookup
  // that cost a tenth of lint's time; its browser build is the same parser without it.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
  logLevel: 'warning',
});
