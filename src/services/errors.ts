// Services speak in these; the web layer turns each into the matching HTTP status and page or JSON.

export type FieldErrors = Record<string, string>;

export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class ValidationError extends ServiceError {
  constructor(
    message: string,
    readonly fields: FieldErrors = {},
  ) {
    super('invalid_input', message);
  }
}

export class NotFoundError extends ServiceError {
  constructor(message = 'We could not find that.') {
    super('not_found', message);
  }
}

export class AuthenticationError extends ServiceError {
  constructor(message = 'Please log in first.') {
    super('unauthenticated', message);
  }
}

export class ForbiddenError extends ServiceError {
  constructor(message = 'You are not allowed to do that.') {
    super('forbidden', message);
  }
}

export class ConflictError extends ServiceError {
  constructor(
    message: string,
    readonly fields: FieldErrors = {},
  ) {
    super('conflict', message);
  }
}
