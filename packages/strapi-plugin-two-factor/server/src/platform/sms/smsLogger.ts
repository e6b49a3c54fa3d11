/** The part of Strapi's logger this folder uses, so it needs no Strapi import. */
export interface SmsLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
