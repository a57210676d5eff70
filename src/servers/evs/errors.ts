// EVS error bodies. EVS's own errors: {"error": {"message": "...", "code": "EVS.XXXX"}}. General
// errors keep Cinder's fault names with EVS's string code EVS.5<status>:
// {"badRequest": {"message": "...", "code": "EVS.5400"}}, {"itemNotFound": {... "EVS.5404"}}...
import { ApiError, faultName } from '../cinder/errors.ts';
import type { EvsFaults } from './faults.ts';

/** An EVS-specific error: answered in the `error` wrapper with its own code. */
export class EvsError extends ApiError {
  constructor(
    status: number,
    readonly code: string,
    message: string,
  ) {
    super(status, message);
  }
}

export const CODES = {
  unauthorized: 'EVS.5401',
  invalidMarker: 'EVS.1024',
  deleteStatus: 'EVS.1047',
  limitTooLarge: 'EVS.2142',
  snapshotsPerDisk: 'EVS.2140',
  forbidden: 'EVS.5403',
} as const;

export const unauthorized = (): EvsError => new EvsError(401, CODES.unauthorized, 'Authentication required.');

export const invalidMarker = (): EvsError => new EvsError(400, CODES.invalidMarker, 'invalid filter marker!');

export const invalidDeleteStatus = (): EvsError =>
  new EvsError(400, CODES.deleteStatus, 'snapshot status must be available or error when delete snapshot!');

export const limitTooLarge = (max: number): EvsError =>
  new EvsError(400, CODES.limitTooLarge, `limit param must be less than or equal to ${max}.`);

export const snapshotsPerDisk = (volumeId: string, max: number): EvsError =>
  new EvsError(400, CODES.snapshotsPerDisk, `the number of snapshots of volume ${volumeId} has reached the maximum (${max})!`);

/** A general error (Cinder fault name, EVS.5<status> code). */
export const forbidden = (message: string): ApiError => new ApiError(403, message);

/** `EVS.5400` for 400, `EVS.5404` for 404... */
export function generalCode(status: number): string {
  return `EVS.5${String(status).padStart(3, '0')}`;
}

export function errorBody(error: ApiError, faults: EvsFaults): Record<string, unknown> {
  const own = error instanceof EvsError;
  const code = faults.has('numeric-error-code') ? error.status : own ? error.code : generalCode(error.status);
  const inner = { message: error.message, code };
  if (faults.has('envelope-flat')) return inner;
  return { [own ? 'error' : faultName(error.status)]: inner };
}
