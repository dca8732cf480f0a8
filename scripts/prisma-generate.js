#!/usr/bin/env node
/**
 * Runs `prisma generate` without network access. Called by the `postinstall` npm script and
 * callable any time: `node scripts/prisma-generate.js`.
 *
 * Why the placeholder engine: before generating, the Prisma 7 CLI makes sure a schema-engine
 * binary is present and downloads one if not. That download host is unreachable here, and the
 * `@prisma/engines` install script is denied on purpose (package.json `allowScripts`). Generate
 * itself never runs the schema engine (the client uses the WebAssembly query compiler), and the
 * CLI only checks that PRISMA_SCHEMA_ENGINE_BINARY names an existing file, so any existing file
 * will do. We set it only for this child process and only when the caller has not chosen one.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const projectRoot = path.resolve(__dirname, '..');
const runningAsPostinstall = process.env.npm_lifecycle_event === 'postinstall';

function resolvePrismaCli() {
  try {
    return require.resolve('prisma/build/index.js', { paths: [projectRoot] });
  } catch {
    return null;
  }
}

/** An existing file that is harmless if something did run it. */
function placeholderEngine() {
  return fs.existsSync('/bin/true') ? '/bin/true' : process.execPath;
}

function main() {
  const cli = resolvePrismaCli();
  if (!cli) {
    // `npm ci --omit=dev` has no `prisma` CLI: the client must then come from a build step.
    const message = 'prisma-generate: the `prisma` package is not installed; skipping generate.';
    if (runningAsPostinstall) {
      console.warn(message);
      return 0;
    }
    console.error(message);
    return 1;
  }

  const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
  if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = placeholderEngine();

  const result = spawnSync(process.execPath, [cli, 'generate', '--config', path.join(projectRoot, 'prisma.config.ts')], {
    cwd: projectRoot,
    env,
    stdio: 'inherit',
  });
  if (result.error) {
    console.error(`prisma-generate: could not start the Prisma CLI: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
}

process.exitCode = main();
