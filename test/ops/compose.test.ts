import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * docker-compose.yml as Compose itself reads it (`docker compose config`), checked for what the
 * stack promises: start order on health, /metrics never published, the UI's codec endpoint, the
 * secrets required. Needs the Compose plugin (`npm test` installs it first through
 * scripts/ensure-test-tools.sh), but no engine: nothing is built or started.
 */

const ROOT = path.resolve(__dirname, '../..');
const SECRETS = { POSTGRES_PASSWORD: 'test-only', PAYLOAD_KEYS: `t:${Buffer.alloc(32).toString('base64')}` };

interface Service {
  image?: string;
  build?: unknown;
  ports?: { target: number; published?: string; host_ip?: string }[];
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  healthcheck?: { test?: string[]; disable?: boolean };
}

function composeConfig(env: Record<string, string>, files = ['docker-compose.yml']): { status: number | null; stderr: string; services: Record<string, Service> } {
  const args = ['compose', '--env-file', '/dev/null', ...files.flatMap((file) => ['-f', file]), 'config', '--format', 'json'];
  const { PATH, HOME, DOCKER_CONFIG } = process.env;
  const result = spawnSync('docker', args, { cwd: ROOT, encoding: 'utf8', env: { PATH, HOME, ...(DOCKER_CONFIG ? { DOCKER_CONFIG } : {}), ...env } });
  return { status: result.status, stderr: result.stderr, services: result.status === 0 ? JSON.parse(result.stdout).services : {} };
}

describe('docker-compose.yml', () => {
  const { services, status, stderr } = composeConfig(SECRETS);

  it('when rendered with its secrets, then it is valid', () => {
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
  });

  it.each(Object.keys(SECRETS))('when %s is missing, then it refuses to render and names it', (missing) => {
    const others = Object.fromEntries(Object.entries(SECRETS).filter(([name]) => name !== missing));
    const refused = composeConfig(others);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(new RegExp(`required variable ${missing} is missing a value: set ${missing}`));
  });

  it('then every service starts after what it needs is healthy or done', () => {
    const after = (name: string) => Object.fromEntries(Object.entries(services[name].depends_on ?? {}).map(([dependency, { condition }]) => [dependency, condition]));
    expect(after('temporal-schema')).toEqual({ postgres: 'service_healthy' });
    expect(after('temporal')).toEqual({ 'temporal-schema': 'service_completed_successfully' });
    expect(after('temporal-namespace')).toEqual({ temporal: 'service_healthy' });
    expect(after('setup')).toEqual({ postgres: 'service_healthy', 'temporal-namespace': 'service_completed_successfully' });
    for (const name of ['api', 'worker']) expect(after(name)).toEqual({ setup: 'service_completed_successfully', mail: 'service_healthy' });
    for (const name of ['postgres', 'temporal', 'mail', 'api', 'worker']) expect(services[name].healthcheck?.test?.length).toBeGreaterThan(0);
  });

  it('then only the site is published to the network; the Temporal UI and the mail view (no sign-in there) to loopback only; /metrics stays inside', () => {
    const published = Object.entries(services).flatMap(([name, service]) => (service.ports ?? []).map((port) => `${name}:${port.target}@${port.host_ip ?? 'all'}`));
    expect(published.sort()).toEqual(['api:3000@all', 'mail:8025@127.0.0.1', 'temporal-ui:8080@127.0.0.1']);
    for (const name of ['api', 'worker']) expect(services[name].environment).toMatchObject({ METRICS_PORT: '9464', NODE_ENV: 'production', TEMPORAL_ADDRESS: 'temporal:7233' });
  });

  it('then the Temporal UI decodes payloads through the API', () => {
    expect(services['temporal-ui'].environment).toMatchObject({ TEMPORAL_CODEC_ENDPOINT: 'http://localhost:3000/codec', TEMPORAL_CODEC_INCLUDE_CREDENTIALS: 'true' });
  });

  it('when combined with docker-compose.cloud.yml, then api, worker and setup use the remote Temporal and setup no longer waits for the local one', () => {
    const cloud = composeConfig({ ...SECRETS, TEMPORAL_ADDRESS: 'eu.example.api.temporal.io:7233', TEMPORAL_NAMESPACE: 'opendk.acct', TEMPORAL_API_KEY: 'k' }, ['docker-compose.yml', 'docker-compose.cloud.yml']);
    expect(cloud.status).toBe(0);
    for (const name of ['api', 'worker', 'setup']) expect(cloud.services[name].environment).toMatchObject({ TEMPORAL_ADDRESS: 'eu.example.api.temporal.io:7233', TEMPORAL_NAMESPACE: 'opendk.acct' });
    expect(Object.keys(cloud.services.setup.depends_on ?? {})).toEqual(['postgres']);
  });
});

describe('Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));

  it('then the runtime stage installs production dependencies only, runs as a non-root user and loads the bundle built at build time', () => {
    expect(runtime).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/COPY --from=build \/app\/dist\/workflow-bundle\.js/);
    expect(runtime).toMatch(/WORKFLOW_BUNDLE_PATH=\/app\/dist\/workflow-bundle\.js/);
    expect(dockerfile.slice(0, dockerfile.indexOf('AS runtime'))).toMatch(/prisma-generate\.js[\s\S]*build-workflow-bundle\.ts/);
  });
});
