import { ConfigError } from '../config.ts';
import { BundleFormatError } from '../formats/quireBundle.ts';
import { ZipRejectedError } from '../formats/safeZip.ts';
import { ServiceError, ValidationError } from '../services/errors.ts';

/** Why a command failed, in the words its user needs: no stack trace, a line per invalid field. */
export function explainFailure(error: unknown): string {
  if (error instanceof ServiceError) {
    const fields =
      error instanceof ValidationError || 'fields' in error
        ? Object.values((error as ValidationError).fields ?? {})
        : [];
    return [error.message, ...fields.map((field) => `  - ${field}`)].join('\n');
  }
  if (error instanceof ConfigError || error instanceof BundleFormatError) return error.message;
  if (error instanceof ZipRejectedError) return `not a readable bundle: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
