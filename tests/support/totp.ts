import { createHmac } from 'node:crypto';
import type { ExampleApp } from '@strapi-two-factor/test-utils';

/** RFC 4648 base32 decoding of an authenticator secret. */
export function decodeBase32(secret: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const character of secret.replace(/=+$/, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(character);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/**
 * What an authenticator app shows for `step`: written here from RFC 4226/6238 with
 * node:crypto, independently of the plugin's code, so the tests check the plugin against it.
 */
export function authenticatorCode(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', decodeBase32(secret)).update(counter).digest();
  const offset = (digest[digest.length - 1] ?? 0) & 0x0f;
  const binary = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

/** The TOTP step the plugin is in now (its clock may have been moved). */
export function pluginStep(app: ExampleApp): number {
  const now: Date = app.strapi.plugin('two-factor').service('clock').now();
  return Math.floor(now.getTime() / 1000 / 30);
}

/**
 * Moves the plugin's clock `steps` steps ahead and to the middle of that step, so a code
 * computed now is still in its step when the request arrives.
 */
export function moveToMidStep(app: ExampleApp, steps = 0): void {
  const clock = app.strapi.plugin('two-factor').service('clock');
  const seconds = clock.now().getTime() / 1000;
  const intoStep = seconds % 30;
  clock.travel((steps * 30 + (15 - intoStep)) * 1000);
}
