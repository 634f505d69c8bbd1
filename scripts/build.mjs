// Bundles the CLI with esbuild. Each subcommand is a dynamic import and so its own chunk:
// `docker-lab --version` loads only the tiny entry chunk.
import { build } from 'esbuild';
import { readFile, rename, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
// Build beside dist and swap it in, so a docker-lab started meanwhile never finds dist half gone.
const out = `dist.tmp-${process.pid}`;
await rm(out, { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  // React (under Ink) in its production build: the development one is several times slower.
  define: { __VERSION__: JSON.stringify(pkg.version), 'process.env.NODE_ENV': '"production"' },
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
await rm('dist', { recursive: true, force: true });
await rename(out, 'dist');
