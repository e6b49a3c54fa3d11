// dist/esm holds ES modules inside a CommonJS package: say so to Node and to bundlers.
import { writeFileSync } from 'node:fs';

writeFileSync(new URL('../dist/esm/package.json', import.meta.url), '{ "type": "module" }\n');
