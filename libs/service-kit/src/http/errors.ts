import createError from '@fastify/error';

/**
 * Errors with a stable code and status. Every error answers `{ error: { code, message, details? } }`
 * (INTERFACE.md); messages of 5xx errors are not shown to clients.
 */
export const NotFoundError = createError<[string]>('NOT_FOUND', '%s', 404);
export const BadRequestError = createError<[string]>('BAD_REQUEST', '%s', 400);
export const ConflictError = createError<[string]>('CONFLICT', '%s', 409);
export const UnauthorizedError = createError<[string]>('UNAUTHORIZED', '%s', 401);
export const ServiceUnavailableError = createError<[string]>('SERVICE_UNAVAILABLE', '%s', 503);

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export interface FieldIssue {
  field: string;
  message: string;
}
