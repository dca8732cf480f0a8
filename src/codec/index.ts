export { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadCodecError } from './aes-gcm-codec';
export { bookingDataConverter, FAILURE_CONVERTER_PATH } from './data-converter';
export { derivedSecret, loadOrCreateDevPayloadKeys, parsePayloadKeys, resolvePayloadKeys, type PayloadKey } from './keys';
