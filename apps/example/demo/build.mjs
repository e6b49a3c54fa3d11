// Builds the demo page into public/demo/, which `strapi::public` serves at /demo/: the
// TypeScript bundled by esbuild (with @strapi-two-factor/client), then the HTML and CSS.
// The output is generated, hence gitignored; the root `npm run build` runs this.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const demoDir = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(demoDir, '..', 'public', 'demo');

await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });
await build({
  entryPoints: [path.join(demoDir, 'main.ts')],
  outfile: path.join(outDir, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
await Promise.all(
  ['index.html', 'styles.css'].map((file) => copyFile(path.join(demoDir, file), path.join(outDir, file))),
);
process.stdout.write(`demo page built into ${path.relative(process.cwd(), outDir)}/\n`);
