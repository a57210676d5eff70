// Errors a handler throws; the HTTP edge turns them into ECL's envelope {"api_error_message": "..."}.
import type { EclFaults } from './faults.ts';

export class EclError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string): EclError => new EclError(400, message);
export const notFound = (message: string): EclError => new EclError(404, message);

// ECL documents 500 on every operation without a body sample; the wording is ours.
export const internalError = (): EclError => new EclError(500, 'Internal server error.');

// The documented meaning is "one of creation/update/deletion/restore request is already on-going";
// the sentence after "Tenant is busy." is our wording.
export const BUSY_MESSAGE =
  'Tenant is busy. Another creation, update or deletion request of this tenant is in progress; retry later.';

export function tenantBusy(faults: EclFaults): EclError {
  return new EclError(faults.has('busy-as-500') ? 500 : 409, BUSY_MESSAGE);
}

/** The one place error bodies are shaped. */
export function errorBody(message: string, faults: EclFaults): Record<string, string> {
  return faults.has('envelope-missing-message') ? { error: message } : { api_error_message: message };
}
