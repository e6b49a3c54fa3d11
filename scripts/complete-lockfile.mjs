// The npm registry this project's machines reach serves only the Linux x64 builds of Biome
// and Rollup, so `npm install` writes a lockfile without their other platforms' optional
// packages, and `npm ci` then refuses it ("Missing: … from lock file") after minutes of
// asking the registry. This adds those entries, with the version the parent pins and the
// platform its name spells, and no tarball: npm skips a package whose os/cpu/libc does not
// match without downloading it. Run after any `npm install` that rewrites the lockfile:
//   node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const FILE = new URL('../package-lock.json', import.meta.url);
const PLATFORM_PACKAGE = /^@biomejs\/cli-|^@rollup\/rollup-/;
const OSES = new Set(['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'openharmony', 'win32']);
const CPUS = new Set(['arm', 'arm64', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x']);

/**
 * The entry npm itself writes for a platform package it did not download: `version` first,
 * then the other keys in alphabetical order. Any other order and the next `npm install`
 * rewrites every one of them (98 lines moved), leaving the tree dirty.
 */
function platformEntry(version, { cpu, dev, libc, os }) {
  return {
    version,
    cpu: [cpu],
    ...(dev ? { dev: true } : {}),
    ...(libc === undefined ? {} : { libc: [libc] }),
    optional: true,
    os: [os],
  };
}

const lock = JSON.parse(readFileSync(FILE, 'utf8'));
let added = 0;
let reordered = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    if (!PLATFORM_PACKAGE.test(name)) continue;
    const key = `node_modules/${name}`;
    const existing = lock.packages[key];
    // Entries npm downloaded (with `integrity`) are npm's own: left alone.
    if (existing !== undefined && existing.integrity !== undefined) continue;
    // "@rollup/rollup-linux-arm-musleabihf" → os linux, cpu arm, libc musl.
    const parts = name
      .split('/')[1]
      .replace(/^(cli|rollup)-/, '')
      .split('-');
    const [os, cpu] = parts;
    if (!OSES.has(os) || !CPUS.has(cpu) || !/^\d+\.\d+\.\d+$/.test(version)) {
      throw new Error(`${path} → ${name}@${version}: cannot tell its platform or exact version`);
    }
    const libc = os === 'linux' ? (parts.some((part) => part.includes('musl')) ? 'musl' : 'glibc') : undefined;
    const wanted = platformEntry(version, { cpu, dev: entry.dev === true, libc, os });
    if (existing === undefined) added += 1;
    else if (JSON.stringify(existing) !== JSON.stringify(wanted)) reordered += 1;
    lock.packages[key] = wanted;
  }
}
// npm's own order, so a later `npm install` rewrites nothing else.
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => a.localeCompare(b, 'en')));
writeFileSync(FILE, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`package-lock.json: ${added} platform entries added, ${reordered} put in npm's key order\n`);
