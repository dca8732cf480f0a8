import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localCliPath, resolveTemporalCli, TEMPORAL_CLI_MODULE, TEMPORAL_CLI_VERSION } from './temporal-cli';

/**
 * The resolver's order and its build path. The build runs a fake `go` (a shell script that
 * writes a fake CLI) so the lock and the error paths are tested in milliseconds; the real
 * build is what .ci/run and a fresh checkout exercise.
 */

let root: string;
let bin: string;
let logs: string[];
const log = (message: string) => logs.push(message);

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-cli-test-'));
  bin = path.join(root, 'fake-bin');
  fs.mkdirSync(bin);
  logs = [];
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function executable(file: string, script: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return file;
}

/** A `go` that records each install in $root/builds and writes a CLI into $GOBIN. */
function fakeGo(exitCode = 0): void {
  executable(
    path.join(bin, 'go'),
    [
      'if [ "$1" = version ]; then echo "go version go1.99 fake"; exit 0; fi',
      `echo "$@" >> "${root}/builds"`,
      'echo "go: downloading go.temporal.io/server v1.29.1" >&2',
      'echo "go.temporal.io/server/common" >&2',
      exitCode === 0 ? 'printf "#!/bin/sh\\necho temporal version fake\\n" > "$GOBIN/temporal"; /bin/chmod +x "$GOBIN/temporal"' : `echo "compile error" >&2; exit ${exitCode}`,
    ].join('\n'),
  );
}

const onlyFakeBin = () => ({ PATH: bin });

test('TEMPORAL_CLI wins, and must point at an executable', async () => {
  const configured = executable(path.join(root, 'custom', 'temporal'), 'exit 0');
  executable(localCliPath(root), 'exit 0');
  await expect(resolveTemporalCli({ configuredPath: configured, projectRoot: root, log, env: onlyFakeBin() })).resolves.toBe(configured);
  await expect(resolveTemporalCli({ configuredPath: 'missing/temporal', projectRoot: root, log, env: onlyFakeBin() })).rejects.toThrow(
    `TEMPORAL_CLI is set to ${path.join(root, 'missing/temporal')}, but there is no executable file there.`,
  );
});

test('then .tools/bin/temporal, then temporal on PATH', async () => {
  const onPath = executable(path.join(bin, 'temporal'), 'exit 0');
  await expect(resolveTemporalCli({ projectRoot: root, log, env: onlyFakeBin() })).resolves.toBe(onPath);
  const local = executable(localCliPath(root), 'exit 0');
  await expect(resolveTemporalCli({ projectRoot: root, log, env: onlyFakeBin() })).resolves.toBe(local);
});

test('explains that Go is needed when there is neither a CLI nor Go', async () => {
  await expect(resolveTemporalCli({ projectRoot: root, log, env: onlyFakeBin(), goFallbacks: [] })).rejects.toThrow(/Go is not installed to build it.*set TEMPORAL_CLI/s);
});

test('builds the pinned version once, even when asked twice at the same time', async () => {
  fakeGo();
  const [first, second] = await Promise.all([
    resolveTemporalCli({ projectRoot: root, log, env: onlyFakeBin(), goFallbacks: [] }),
    resolveTemporalCli({ projectRoot: root, log, env: onlyFakeBin(), goFallbacks: [] }),
  ]);
  expect(first).toBe(localCliPath(root));
  expect(second).toBe(localCliPath(root));
  expect(fs.readFileSync(path.join(root, 'builds'), 'utf8').trim().split('\n')).toEqual([`install -v ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`]);
  expect(logs.join('\n')).toMatch(/is building the Temporal CLI; waiting for it to finish/);
  expect(logs.join('\n')).toMatch(/first build takes several minutes/);
  expect(logs.join('\n')).toMatch(/Built the Temporal CLI in \d+ s: temporal version fake/);
  // No lock or half-built binary left behind.
  expect(fs.readdirSync(path.join(root, '.tools')).sort()).toEqual(['bin']);
  expect(fs.readdirSync(path.join(root, '.tools', 'bin'))).toEqual(['temporal']);
});

test('a failed build reports go output and leaves no binary', async () => {
  fakeGo(2);
  await expect(resolveTemporalCli({ projectRoot: root, log, env: onlyFakeBin(), goFallbacks: [] })).rejects.toThrow(/go install exited with 2.*compile error/s);
  expect(fs.existsSync(localCliPath(root))).toBe(false);
  expect(fs.existsSync(path.join(root, '.tools', 'temporal-cli-build.lock'))).toBe(false);
});
