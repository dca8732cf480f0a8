import { createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Payload encryption keys: `id:base64key` entries, 32-byte AES-256 keys. The first encrypts,
 * every one decrypts, so a key is rotated by putting a new one first and keeping the old ones
 * until no history that needs them is left (Temporal's retention period).
 *
 * The key material lives in a KeyObject: it never shows in JSON, logs or `util.inspect`.
 */
export interface PayloadKey {
  id: string;
  key: KeyObject;
}

export const PAYLOAD_KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Parses `id:base64key[,id:base64key…]` (commas or new lines; `#` starts a comment line).
 * Problems name the entry by position and id, never by value.
 */
export function parsePayloadKeys(text: string, source = 'PAYLOAD_KEYS'): { keys: PayloadKey[]; problems: string[] } {
  const entries = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const keys: PayloadKey[] = [];
  const problems: string[] = [];
  entries.forEach((entry, index) => {
    const where = `${source} entry ${index + 1}`;
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon).trim() : '';
    const encoded = colon > 0 ? entry.slice(colon + 1).trim() : '';
    if (!KEY_ID.test(id)) {
      problems.push(`${where}: expected id:base64key with an id of letters, digits, ".", "_" or "-" (at most 64)`);
      return;
    }
    const material = BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
    if (material.length !== PAYLOAD_KEY_BYTES) {
      problems.push(`${where} (id ${id}): the key must be ${PAYLOAD_KEY_BYTES} bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
      return;
    }
    if (keys.some((known) => known.id === id)) {
      problems.push(`${where}: the id ${id} is used twice`);
      return;
    }
    keys.push({ id, key: createSecretKey(material) });
  });
  if (entries.length === 0) problems.push(`${source}: no keys (expected id:base64key[,id:base64key…])`);
  return { keys, problems };
}

/**
 * Development only: the keys kept in `file`, created with one new key on first use (mode
 * 0600), so histories written before a restart can still be read after it. Two processes
 * starting together (API and worker) end up with the same file: it is written aside and
 * linked into place, which fails for the second one, who then reads the first one's key.
 */
export function loadOrCreateDevPayloadKeys(file: string, log: (message: string) => void = () => undefined): PayloadKey[] {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const id = `dev-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(2).toString('hex')}`;
    const content = [
      '# Payload encryption keys of this development setup (id:base64key; the first encrypts, all decrypt).',
      '# Generated because PAYLOAD_KEYS is unset. Production sets PAYLOAD_KEYS instead.',
      `${id}:${randomBytes(PAYLOAD_KEY_BYTES).toString('base64')}`,
      '',
    ].join('\n');
    const aside = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(aside, content, { mode: 0o600 });
    try {
      fs.linkSync(aside, file);
      log(`generated a payload encryption key (id ${id}) in ${file}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(aside, { force: true });
    }
  }
  const { keys, problems } = parsePayloadKeys(fs.readFileSync(file, 'utf8'), file);
  if (problems.length > 0) throw new Error(`Invalid payload key file:\n  - ${problems.join('\n  - ')}`);
  return keys;
}

/** The configured keys, or in development the generated ones under the data folder. */
export function resolvePayloadKeys(settings: { keys?: PayloadKey[]; devKeyFile?: string }, log?: (message: string) => void): PayloadKey[] {
  if (settings.keys) return settings.keys;
  if (settings.devKeyFile) return loadOrCreateDevPayloadKeys(settings.devKeyFile, log);
  throw new Error('PAYLOAD_KEYS must be set (id:base64key[,id:base64key…])');
}

/**
 * A secret for another purpose (e.g. "csrf"), derived with HKDF-SHA256 from the first payload
 * key: every API instance shares PAYLOAD_KEYS, so each derives the same secret with no setting
 * of its own. Rotating the first key changes it (a form rendered before that is refused once).
 */
export function derivedSecret(keys: readonly PayloadKey[], purpose: string): string {
  if (keys.length === 0) throw new Error('derivedSecret needs at least one payload key');
  return Buffer.from(hkdfSync('sha256', keys[0].key.export(), Buffer.alloc(0), `opendk:${purpose}`, 32)).toString('base64url');
}
