/** The one error type a service throws; the error handler turns it into the API's error body. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const errors = {
  badRequest: (code: string, message: string) => new AppError(code, 400, message),
  unauthenticated: () => new AppError('UNAUTHENTICATED', 401, 'Sign in to continue.'),
  forbidden: (message = 'Your role does not allow this.') => new AppError('FORBIDDEN', 403, message),
  notFound: (what: string) => new AppError('NOT_FOUND', 404, `${what} was not found.`),
  conflict: (code: string, message: string) => new AppError(code, 409, message),
  tooLarge: (message: string) => new AppError('PAYLOAD_TOO_LARGE', 413, message),
  unsupportedMedia: (message: string) => new AppError('UNSUPPORTED_MEDIA_TYPE', 415, message),
  storageDown: () => new AppError('STORAGE_UNAVAILABLE', 503, 'File storage is not answering. Try again in a minute.'),
  databaseDown: () => new AppError('DATABASE_UNAVAILABLE', 503, 'The database is not answering. Try again in a minute.'),
};
