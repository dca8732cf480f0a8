import type { DataConverter, PayloadCodec } from '@temporalio/common';

/** For bundleWorkflowCode({ failureConverterPath }) when a worker is given a pre-built bundle. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The data converter of every client and worker of the service: payloads through the codec,
 * failure messages encoded so the codec covers them too. Clients and workers must agree on it.
 */
export function bookingDataConverter(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath: FAILURE_CONVERTER_PATH };
}
