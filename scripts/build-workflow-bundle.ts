import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../src/codec';
import { loadConfig } from '../src/config';
import { WORKFLOWS_PATH } from '../src/worker/create-worker';

/**
 * Builds the workflow bundle ahead of time (`npm run build:workflows`; the Docker image does it
 * at build time) into WORKFLOW_BUNDLE_PATH (default dist/workflow-bundle.js), so the worker
 * starts without running webpack; the worker loads it when WORKFLOW_BUNDLE_PATH is set. It is bundled
 * with the service's failure converter, as the worker's data converter requires.
 */
async function main() {
  const out = loadConfig().worker.bundlePath ?? path.join(loadConfig().projectRoot, 'dist', 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, failureConverterPath: FAILURE_CONVERTER_PATH });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
  console.log(`workflow bundle written to ${path.relative(process.cwd(), out)} (${(code.length / 1024).toFixed(0)} KiB)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
