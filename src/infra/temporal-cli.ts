import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { acquireLock } from './lock-file';

/**
 * Finds the Temporal CLI (which runs the development server), building it from source when
 * there is none: its release downloads are unreachable here, the Go module proxy is not.
 */

/** The newest CLI tag that `go install` accepts (later ones carry a `replace` directive). */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

const BUILD_LOCK_TIMEOUT_MS = 30 * 60_000;
const PROGRESS_INTERVAL_MS = 15_000;

export interface ResolveTemporalCliOptions {
  /** TEMPORAL_CLI: when set it must point at the CLI; we never silently fall back. */
  configuredPath?: string;
  projectRoot: string;
  log: (message: string) => void;
  /** Whose PATH is searched and passed to Go; defaults to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Where to look for Go when it is not on PATH. */
  goFallbacks?: string[];
}

export function localCliPath(projectRoot: string): string {
  return path.join(projectRoot, '.tools', 'bin', 'temporal');
}

export async function resolveTemporalCli(options: ResolveTemporalCliOptions): Promise<string> {
  const { configuredPath, projectRoot, log } = options;
  const env = options.env ?? process.env;
  if (configuredPath) {
    const resolved = path.resolve(projectRoot, configuredPath);
    if (!isExecutableFile(resolved)) throw new Error(`TEMPORAL_CLI is set to ${resolved}, but there is no executable file there.`);
    return resolved;
  }
  const local = localCliPath(projectRoot);
  if (isExecutableFile(local)) return local;
  const onPath = findOnPath('temporal', env);
  if (onPath) return onPath;

  const go = findOnPath('go', env) ?? (options.goFallbacks ?? ['/usr/local/go/bin/go']).find(isExecutableFile);
  if (!go) {
    throw new Error(
      'The Temporal CLI was not found (TEMPORAL_CLI is unset, there is no .tools/bin/temporal and no `temporal` on PATH), ' +
        'and Go is not installed to build it (looked on PATH and in /usr/local/go/bin). ' +
        'Install Go (https://go.dev/dl/) or the Temporal CLI, or set TEMPORAL_CLI to its path.',
    );
  }
  await buildCli({ go, local, projectRoot, env, log });
  return local;
}

async function buildCli(args: { go: string; local: string; projectRoot: string; env: NodeJS.ProcessEnv; log: (m: string) => void }) {
  const { go, local, projectRoot, env, log } = args;
  const lock = await acquireLock(path.join(projectRoot, '.tools', 'temporal-cli-build.lock'), {
    timeoutMs: BUILD_LOCK_TIMEOUT_MS,
    onWait: (owner) => log(`Another process${owner ? ` (pid ${owner})` : ''} is building the Temporal CLI; waiting for it to finish…`),
  });
  try {
    if (isExecutableFile(local)) return; // built by the process we waited for
    const goVersion = (await promisify(execFile)(go, ['version'], { env })).stdout.trim();
    log(
      `Temporal CLI not found: building ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} with ${goVersion} into ${path.dirname(local)}. ` +
        'The first build takes several minutes (it downloads and compiles the Temporal server); later runs reuse the binary.',
    );
    const started = Date.now();
    // Build beside the final path and rename, so no one ever runs a half-written binary.
    const buildDir = path.join(path.dirname(local), `.build-${process.pid}`);
    fs.rmSync(buildDir, { recursive: true, force: true });
    fs.mkdirSync(buildDir, { recursive: true });
    try {
      await runGoInstall(go, { ...env, GOBIN: buildDir }, log);
      fs.renameSync(path.join(buildDir, 'temporal'), local);
    } finally {
      fs.rmSync(buildDir, { recursive: true, force: true });
    }
    const version = (await promisify(execFile)(local, ['--version'])).stdout.trim();
    log(`Built the Temporal CLI in ${Math.round((Date.now() - started) / 1000)} s: ${version}`);
  } finally {
    await lock.release();
  }
}

/** Runs `go install -v`, reporting progress every few seconds rather than one line per package. */
function runGoInstall(go: string, env: NodeJS.ProcessEnv, log: (m: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(go, ['install', '-v', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const recent: string[] = [];
    let downloaded = 0;
    let compiled = 0;
    let reported = '';
    let partial = '';
    const onData = (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) {
        if (line.startsWith('go: downloading')) downloaded += 1;
        else compiled += 1;
        recent.push(line);
        if (recent.length > 30) recent.shift();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const progress = setInterval(() => {
      const summary = `go install: ${downloaded} modules downloaded, ${compiled} packages built (latest: ${recent.at(-1) ?? '…'})`;
      if (summary !== reported) log(summary);
      reported = summary;
    }, PROGRESS_INTERVAL_MS);
    child.once('error', (error) => {
      clearInterval(progress);
      reject(new Error(`Could not run ${go}: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearInterval(progress);
      if (code === 0) return resolve();
      if (partial) recent.push(partial);
      reject(new Error(`Building the Temporal CLI failed (go install exited with ${code ?? signal}). Last output:\n${recent.join('\n')}`));
    });
  });
}

export function findOnPath(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
