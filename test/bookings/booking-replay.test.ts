import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { ENCRYPTED_ENCODING } from '../../src/codec';
import { testDataConverter } from '../support/payload-codec';
import { quietRuntime, workflowBundle } from './harness';
import { SCENARIOS } from './scenarios';

/**
 * Replays the histories of real runs (recorded by scripts/record-histories.ts) against the
 * current workflow code: a change that is not backwards compatible (no patched()) fails here.
 * Each subfolder holds one generation of the code (see scripts/record-histories.ts). From
 * 3-encrypted-payloads on, payloads are encrypted with the test-only key; earlier generations
 * are in clear and pass through the codec unchanged, as real pre-encryption histories would.
 */
const HISTORIES_DIR = path.resolve(__dirname, '..', 'histories');

function loadHistories(): { workflowId: string; history: temporal.api.history.v1.History; name: string }[] {
  return fs
    .readdirSync(HISTORIES_DIR, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const saved = JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8')) as { workflowId: string; history: object };
      return { name: file, workflowId: saved.workflowId, history: temporal.api.history.v1.History.fromObject(saved.history) };
    });
}

test('when the recorded generations are listed, then none is missing, the newest holds every scenario, and each holds those of the first', () => {
  const generations = new Map<number, string[]>();
  for (const { name } of loadHistories()) {
    const [folder, file] = name.split(path.sep);
    const number = Number.parseInt(folder, 10);
    generations.set(number, [...(generations.get(number) ?? []), file]);
  }
  const numbers = [...generations.keys()].sort((a, b) => a - b);
  expect(numbers).toEqual(numbers.map((_, index) => index + 1));
  const newest = generations.get(numbers.at(-1)!)!;
  expect([...newest].sort()).toEqual(Object.keys(SCENARIOS).map((scenario) => `${scenario}.json`).sort());
  const first = generations.get(1)!;
  for (const files of generations.values()) expect(files).toEqual(expect.arrayContaining(first));
});

test('when the saved booking histories are replayed against the current workflow code, then every one replays without a determinism error', async () => {
  quietRuntime();
  const histories = loadHistories();
  expect(histories.length).toBeGreaterThanOrEqual(21);
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle(), dataConverter: testDataConverter() }, histories)) {
    replayed += 1;
    if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(histories.length);
}, 120_000);

test('when the histories of the encrypted generations are read raw, then every payload but search attributes and the SDK marker bookkeeping is encrypted', () => {
  const encrypted = loadHistories().filter(({ name }) => Number.parseInt(name, 10) >= 3);
  expect(encrypted.length).toBeGreaterThanOrEqual(14);
  const encodings = new Set<string>();
  // protobufjs JSON: bytes are base64. Left readable on purpose: search attributes (the server
  // indexes them) and the SDK's bookkeeping in markers' details (patch ids; a local activity's
  // type and sequence number); a local activity's result and failure are encrypted.
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(collect);
    if (typeof value !== 'object' || value === null) return;
    if ('markerName' in value) {
      const { result, failure } = value as { result?: unknown; failure?: unknown };
      return [result, failure].forEach(collect);
    }
    const encoding = (value as { metadata?: { encoding?: string } }).metadata?.encoding;
    if (encoding) encodings.add(Buffer.from(encoding, 'base64').toString('utf8'));
    for (const [key, child] of Object.entries(value)) if (key !== 'searchAttributes' && key !== 'metadata') collect(child);
  };
  for (const { history } of encrypted) collect(history.toJSON());
  expect([...encodings]).toEqual([ENCRYPTED_ENCODING]);
});
