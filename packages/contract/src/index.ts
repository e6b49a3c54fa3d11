export * from './admin.js';
export * from './errorBody.js';
export * from './errorCodes.js';
export * from './openapi.js';
export * from './requests.js';
export * from './responses.js';
export * from './routes.js';
export * from './webauthn.js';
