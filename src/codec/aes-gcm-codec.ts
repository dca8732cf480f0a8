import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PayloadKey } from './keys';

/**
 * Encrypts every payload with AES-256-GCM before it leaves the process, so the Temporal server
 * (its database, its Web UI, anyone reading history) sees no resident's data. The whole
 * original Payload (metadata included) is serialized and encrypted; the envelope says only
 * that it is encrypted and with which key:
 *
 *   metadata: { encoding: "binary/encrypted", encryption-key-id: "<id>" }
 *   data:     iv (12 bytes) | ciphertext | tag (16 bytes)
 *
 * The key id is bound to the ciphertext as additional authenticated data. Payloads that are
 * not encrypted pass through decode unchanged, so histories written before encryption replay.
 */

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type PayloadCodecFailure = 'UNKNOWN_KEY' | 'UNDECRYPTABLE';

export class PayloadCodecError extends Error {
  constructor(
    readonly failure: PayloadCodecFailure,
    /** The key id the payload names (not secret). */
    readonly keyId: string,
    message: string,
  ) {
    super(message);
    this.name = 'PayloadCodecError';
  }
}

const text = new TextEncoder();
const utf8 = new TextDecoder();

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: ReadonlyMap<string, PayloadKey>;
  private readonly current: PayloadKey;

  constructor(keys: readonly PayloadKey[]) {
    if (keys.length === 0) throw new Error('AesGcmPayloadCodec needs at least one key');
    this.current = keys[0];
    this.byId = new Map(keys.map((key) => [key.id, key]));
  }

  /** The id new payloads are encrypted with. */
  get encryptionKeyId(): string {
    return this.current.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  private encrypt(payload: Payload): Payload {
    const { id, key } = this.current;
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(id));
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return { metadata: { encoding: text.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: text.encode(id) }, data };
  }

  private decrypt(payload: Payload): Payload {
    const rawId = payload.metadata?.[KEY_ID_METADATA];
    const id = rawId ? utf8.decode(rawId) : '';
    const entry = this.byId.get(id);
    if (!entry) {
      throw new PayloadCodecError(
        'UNKNOWN_KEY',
        id,
        `Payload is encrypted with key id "${id || '(none)'}", which is not among the configured keys (${[...this.byId.keys()].join(', ')}). ` +
          'Add that key to PAYLOAD_KEYS (after the current one) to read it.',
      );
    }
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES) throw undecryptable(id);
    try {
      const decipher = createDecipheriv('aes-256-gcm', entry.key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(id));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    } catch {
      throw undecryptable(id);
    }
  }
}

function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && encoding !== null && utf8.decode(encoding) === ENCRYPTED_ENCODING;
}

function associatedData(keyId: string): Buffer {
  return Buffer.from(`${ENCRYPTED_ENCODING};${KEY_ID_METADATA}=${keyId}`, 'utf8');
}

function undecryptable(id: string): PayloadCodecError {
  return new PayloadCodecError('UNDECRYPTABLE', id, `Payload encrypted with key id "${id}" could not be decrypted: it was altered, or the key with that id is not the one it was encrypted with.`);
}
