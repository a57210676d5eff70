// Cinder's fault envelope: {"<faultName>": {"code": <status>, "message": "..."}}.
import type { CinderFaults } from './faults.ts';

// Names as Cinder's wsgi Fault maps them; any other status is a computeFault.
const FAULT_NAMES: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

export const SERVER_ERROR_MESSAGE =
  'The server has either erred or is incapable of performing the requested operation.';

/** An error that becomes a fault response; `retryAfter` marks Cinder's quota variant of 413. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfter?: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string): ApiError => new ApiError(400, message);
export const notFound = (message: string): ApiError => new ApiError(404, message);
export const serverError = (): ApiError => new ApiError(500, SERVER_ERROR_MESSAGE);

export const snapshotNotFound = (id: string): ApiError => notFound(`Snapshot ${id} could not be found.`);
export const volumeNotFound = (id: string): ApiError => notFound(`Volume ${id} could not be found.`);

export function faultName(status: number): string {
  return FAULT_NAMES[status] ?? 'computeFault';
}

export function faultBody(error: ApiError, faults: CinderFaults): Record<string, unknown> {
  const inner: Record<string, unknown> = {
    code: faults.has('envelope-code-mismatch') ? 400 : error.status,
    message: error.message,
  };
  if (error.retryAfter !== undefined) inner.retryAfter = error.retryAfter;
  if (faults.has('envelope-flat')) return inner;
  const name = faults.has('fault-name-wrong') && error.status === 404 ? 'badRequest' : faultName(error.status);
  return { [name]: inner };
}
