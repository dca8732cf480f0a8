import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces are plain strings in history unless they are encoded: an
 * SMTP refusal or a database error can quote an e-mail address or a phone number. With
 * `encodeCommonAttributes` they travel as a payload, which the codec encrypts like any other.
 *
 * Loaded by path (DataConverter.failureConverterPath) by clients, the worker and the workflow
 * bundle, so it imports nothing but @temporalio/common.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
