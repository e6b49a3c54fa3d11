// The one map lives in the REST contract, beside the schemas that name its codes.
export { TWO_FACTOR_ERROR_CODES, type TwoFactorErrorCode } from '@strapi-two-factor/contract';
