// Bundle the protocol library and the page scripts into Django's static files.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = new URL('../omov/static/omov/dist/', import.meta.url).pathname;
// Start from an empty output directory so no stale bundle is ever served.
rmSync(outdir, { recursive: true, force: true });

const common = { bundle: true, keepNames: true, format: 'esm', minify: true, sourcemap: true, target: ['es2022'], logLevel: 'info' };

await build({ ...common, entryPoints: ['src/protocol/index.js'], outfile: `${outdir}omov-protocol.js` });

const pagesDir = 'src/pages';
const pages = existsSync(pagesDir) ? readdirSync(pagesDir).filter((f) => f.endsWith('.js')) : [];
if (pages.length > 0) {
  // Pages import the library by its URL, so the browser loads one shared copy.
  await build({
    ...common,
    entryPoints: pages.map((f) => `${pagesDir}/${f}`),
    outdir: `${outdir}pages`,
    external: ['/static/*'],
  });
}
