/**
 * Errors in the Data API's shape for the test server: an exception name (`__type`, also sent as
 * `x-amzn-errortype`), a message and an HTTP status (400 unless told).
 */
export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
