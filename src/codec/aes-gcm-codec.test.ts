import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { ConfigError, loadConfig } from '../config';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadCodecError } from './aes-gcm-codec';
import { loadOrCreateDevPayloadKeys, parsePayloadKeys, resolvePayloadKeys } from './keys';

const newKeyEntry = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const keys = (text: string) => {
  const parsed = parsePayloadKeys(text);
  expect(parsed.problems).toEqual([]);
  return parsed.keys;
};
const utf8 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

const booking = { eventTitle: 'Юбилей Ивановой', contactPhone: '+79161234567', comment: 'Нужен рояль' };
const plain = (): Payload => defaultPayloadConverter.toPayload(booking);

describe('AesGcmPayloadCodec', () => {
  const old = newKeyEntry('k-2024');
  const current = newKeyEntry('k-2025');

  it('when a payload is encoded and decoded, then the original comes back, metadata included', async () => {
    const codec = new AesGcmPayloadCodec(keys(current));
    const [encoded] = await codec.encode([plain()]);
    const [decoded] = await codec.decode([encoded]);
    expect(utf8(decoded.metadata?.encoding)).toBe('json/plain');
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(booking);
  });

  it('when a payload is encoded, then only the encryption and the key id show, and nothing of the data', async () => {
    const codec = new AesGcmPayloadCodec(keys(current));
    const [encoded] = await codec.encode([plain()]);
    expect(Object.keys(encoded.metadata ?? {}).sort()).toEqual(['encoding', KEY_ID_METADATA]);
    expect(utf8(encoded.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(utf8(encoded.metadata?.[KEY_ID_METADATA])).toBe('k-2025');
    const bytes = Buffer.from(encoded.data!);
    for (const secret of ['json/plain', 'Ивановой', '79161234567', 'рояль']) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    // iv (12) | ciphertext | tag (16); a fresh iv every time
    const [again] = await codec.encode([plain()]);
    expect(Buffer.from(again.data!).subarray(0, 12).equals(bytes.subarray(0, 12))).toBe(false);
    expect(bytes.length).toBeGreaterThanOrEqual(12 + 16 + 1);
  });

  it('when a new key is put first, then payloads encrypted with the old key still decode and new ones use the new key', async () => {
    const before = new AesGcmPayloadCodec(keys(old));
    const [written] = await before.encode([plain()]);
    const rotated = new AesGcmPayloadCodec(keys(`${current},${old}`));
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([written]))[0])).toEqual(booking);
    const [fresh] = await rotated.encode([plain()]);
    expect(utf8(fresh.metadata?.[KEY_ID_METADATA])).toBe('k-2025');
    await expect(before.decode([fresh])).rejects.toMatchObject({ failure: 'UNKNOWN_KEY', keyId: 'k-2025' });
  });

  it('when the encrypted data is altered, then decoding fails and says so', async () => {
    const codec = new AesGcmPayloadCodec(keys(current));
    const [encoded] = await codec.encode([plain()]);
    for (const position of [0, 20, encoded.data!.length - 1]) {
      const data = Buffer.from(encoded.data!);
      data[position] ^= 0x01;
      await expect(codec.decode([{ ...encoded, data }])).rejects.toThrow(/could not be decrypted: it was altered/);
    }
    await expect(codec.decode([{ ...encoded, data: Buffer.from(encoded.data!).subarray(0, 20) }])).rejects.toBeInstanceOf(PayloadCodecError);
  });

  it('when the key id is swapped for another known key, then decoding fails (the id is authenticated)', async () => {
    const codec = new AesGcmPayloadCodec(keys(`${current},${old}`));
    const [encoded] = await codec.encode([plain()]);
    const relabelled = { ...encoded, metadata: { ...encoded.metadata, [KEY_ID_METADATA]: Buffer.from('k-2024') } };
    await expect(codec.decode([relabelled])).rejects.toMatchObject({ failure: 'UNDECRYPTABLE', keyId: 'k-2024' });
  });

  it('when a payload is not encrypted, then decode hands it back unchanged (histories from before encryption)', async () => {
    const codec = new AesGcmPayloadCodec(keys(current));
    const payload = plain();
    const [decoded] = await codec.decode([payload]);
    expect(decoded).toBe(payload);
    const empty: Payload = {};
    expect((await codec.decode([empty]))[0]).toBe(empty);
  });

  it('when the key id is unknown, then decoding fails with a message naming it and the known ones', async () => {
    const [foreign] = await new AesGcmPayloadCodec(keys(newKeyEntry('elsewhere'))).encode([plain()]);
    const codec = new AesGcmPayloadCodec(keys(`${current},${old}`));
    await expect(codec.decode([foreign])).rejects.toThrow('Payload is encrypted with key id "elsewhere", which is not among the configured keys (k-2025, k-2024)');
  });
});

describe('payload keys', () => {
  it('when PAYLOAD_KEYS is malformed, then each problem is named without the key material', () => {
    const short = randomBytes(16).toString('base64');
    const { problems } = parsePayloadKeys(`a:${short},no-colon,b:${randomBytes(32).toString('base64')},b:${randomBytes(32).toString('base64')}`);
    expect(problems).toEqual([
      expect.stringMatching(/^PAYLOAD_KEYS entry 1 \(id a\): the key must be 32 bytes/),
      expect.stringMatching(/^PAYLOAD_KEYS entry 2: expected id:base64key/),
      'PAYLOAD_KEYS entry 4: the id b is used twice',
    ]);
    expect(problems.join()).not.toContain(short);
  });

  it('when production starts without PAYLOAD_KEYS, then the configuration is refused naming it', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PAYLOAD_KEYS must be set in production/);
    const material = randomBytes(32).toString('base64');
    const config = loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://dk.mosreg.example', PAYLOAD_KEYS: `prod-1:${material}` });
    expect(config.codec.keys?.map((key) => key.id)).toEqual(['prod-1']);
    expect(config.codec.devKeyFile).toBeUndefined();
    // The key never shows when the configuration is printed or serialised.
    expect(JSON.stringify(config)).not.toContain(material);
    expect(inspect(config, { depth: 10 })).not.toContain(material);
    expect(inspect(config, { depth: 10 })).not.toContain(Buffer.from(material, 'base64').toString('hex'));
  });

  it('when development starts without PAYLOAD_KEYS, then a key is generated once under the data folder (0600) and reused', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendk-keys-'));
    try {
      const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
      expect(config.codec.devKeyFile).toBe(path.join(dataDir, 'payload-keys'));
      const messages: string[] = [];
      const first = resolvePayloadKeys(config.codec, (message) => messages.push(message));
      expect(messages).toEqual([expect.stringContaining(`generated a payload encryption key (id ${first[0].id})`)]);
      expect(fs.statSync(config.codec.devKeyFile!).mode & 0o777).toBe(0o600);
      const second = loadOrCreateDevPayloadKeys(config.codec.devKeyFile!);
      expect(second.map((key) => key.id)).toEqual(first.map((key) => key.id));
      expect(second[0].key.equals(first[0].key)).toBe(true);
      expect(fs.readdirSync(dataDir)).toEqual(['payload-keys']);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
