'use strict';
/**
 * The child of `startExampleAppProcess` (exampleAppProcess.ts): boots the example app the
 * way `startExampleApp` does, in a process of its own, because two Strapi instances cannot
 * share one process (Strapi keeps a global `strapi`). Plain CommonJS on purpose: the child
 * has no TypeScript loader, so it runs only compiled code (`apps/example/dist`, built by
 * `npm run build`) and `@strapi/strapi` itself.
 *
 * Everything comes from the environment the parent sets. Once listening, it prints one line
 * `{"exampleAppProcess":{"url":"http://127.0.0.1:<port>"}}` on stdout. On SIGTERM or SIGINT,
 * or when its stdin closes (the parent is gone), it awaits `strapi.destroy()` and exits.
 */
const path = require('node:path');
const { createStrapi } = require('@strapi/strapi');

const appDir = process.env.EXAMPLE_APP_DIR || path.resolve(__dirname, '..', '..', '..', 'apps', 'example');

let strapi;
let stopping;

function stop(reason) {
  if (stopping !== undefined) return stopping;
  stopping = (async () => {
    let exitCode = 0;
    try {
      if (strapi !== undefined) await strapi.destroy();
    } catch (error) {
      process.stderr.write(`[example app process] destroy failed after ${reason}: ${error?.stack ?? error}\n`);
      exitCode = 1;
    }
    process.exit(exitCode);
  })();
  return stopping;
}

async function main() {
  strapi = createStrapi({ appDir, distDir: path.join(appDir, 'dist') });
  // createStrapi registers its own SIGTERM/SIGINT handlers (destroy, then exit without
  // reporting a failed destroy); this script's handlers replace them.
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGINT');
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // The parent keeps stdin open: its end means the parent died without calling stop().
  process.stdin.on('end', () => void stop('stdin closed'));
  process.stdin.resume();

  await strapi.load();
  await strapi.listen();
  const { port } = strapi.server.httpServer.address();
  process.stdout.write(`${JSON.stringify({ exampleAppProcess: { url: `http://127.0.0.1:${port}` } })}\n`);
}

main().catch(async (error) => {
  process.stderr.write(`[example app process] start failed: ${error?.stack ?? error}\n`);
  try {
    await strapi?.destroy();
  } catch {
    // Already failing: the start error is the one to report.
  }
  process.exit(1);
});
