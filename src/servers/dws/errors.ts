// DWS's error envelope: {"error_code": "DWS.NNNN", "error_msg": "..."} (vendor-facts 3.5). Codes
// come from the documented table; where a gateway answers before the service (auth, unknown API),
// the gateway's APIGW codes are used, as Huawei's API Gateway does for every cloud service.
import type { DwsFaults } from './faults.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The documented text for DWS.0015, used for every unknown snapshot or cluster. */
export const NOT_FOUND_MESSAGE = 'Resource not found or permission denied.';

/** DWS.0001: a request parameter is wrong (syntax, type, name and description rules, preconditions). */
export const badParameter = (message: string): ApiError => new ApiError(400, 'DWS.0001', message);

/** DWS.0006: the request body is empty where one is required. */
export const emptyRequest = (): ApiError => new ApiError(400, 'DWS.0006', 'The request body is empty.');

/** DWS.0011: the resource is busy with another operation. */
export const inProgress = (message: string): ApiError => new ApiError(409, 'DWS.0011', message);

// The references disagree on a missing resource: the HTTP table says 404, the error-code table maps
// DWS.0015 to 403 (vendor-facts 3.5, section 5 item 10). This server answers 404 with DWS.0015.
export const notFound = (): ApiError => new ApiError(404, 'DWS.0015', NOT_FOUND_MESSAGE);

/** DWS.0005: anything unexpected inside the server. */
export const serverFailure = (): ApiError => new ApiError(500, 'DWS.0005', 'Server failure.');

// Gateway-level answers: a missing or wrong token, and a path or method the API does not have.
export const unauthorized = (): ApiError =>
  new ApiError(401, 'APIGW.0301', 'Incorrect IAM authentication information: the X-Auth-Token is missing or invalid.');
export const noSuchApi = (): ApiError => new ApiError(404, 'APIGW.0101', 'The API does not exist or has not been published.');

// Names used only by the `envelope-cinder-style` fault, as Cinder's wsgi Fault maps statuses.
const CINDER_NAMES: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  409: 'conflictingRequest',
  503: 'serviceUnavailable',
};

export function errorBody(error: ApiError, faults: DwsFaults): Record<string, unknown> {
  if (faults.has('envelope-cinder-style')) {
    return { [CINDER_NAMES[error.status] ?? 'computeFault']: { code: error.status, message: error.message } };
  }
  return { error_code: error.code, error_msg: error.message };
}
