import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, bookingDataConverter, parsePayloadKeys, type PayloadKey } from '../../src/codec';

/**
 * TEST ONLY. A fixed, published key, so histories recorded by scripts/record-histories.ts
 * (test/histories/3-encrypted-payloads) replay in CI. It protects nothing: never put it in
 * PAYLOAD_KEYS. (It is sha256 of its own description, for anyone wondering where it came from.)
 */
export const TEST_PAYLOAD_KEYS_ENV = 'test-only-1:mA1pFqvlNOGqaPNTUU19iDphAO3eV3QTNLSM5sKoQ6s=';

export function testPayloadKeys(text = TEST_PAYLOAD_KEYS_ENV): PayloadKey[] {
  const { keys, problems } = parsePayloadKeys(text, 'test keys');
  if (problems.length > 0) throw new Error(problems.join('; '));
  return keys;
}

export const testCodec = () => new AesGcmPayloadCodec(testPayloadKeys());

/** What every test client and worker uses, like the service's own bookingDataConverter(codec). */
export const testDataConverter = (): DataConverter => bookingDataConverter(testCodec());
