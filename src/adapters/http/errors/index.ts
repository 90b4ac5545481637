/** The HTTP error contract: what routes throw, and what the app installs. */
export { HttpError, errorBody, statusText, type ErrorBody } from './http-error.js';
export { clientErrorHandler, installErrorContract, sendError } from './error-contract.js';
export { DOMAIN_STATUS } from './codes.js';
