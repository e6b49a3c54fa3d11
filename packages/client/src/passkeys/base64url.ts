/**
 * Base64url without padding (RFC 4648 §5), the encoding of every binary field of WebAuthn's
 * JSON forms. Written out rather than through `atob`/`btoa` or `Buffer`: React Native's Hermes
 * and older engines lack one or the other, and `atob` accepts inputs the spec does not.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const VALUES: Record<string, number> = {};
for (let index = 0; index < ALPHABET.length; index += 1) VALUES[ALPHABET.charAt(index)] = index;

/** A base64url string that is not one: the message names the first character that is wrong. */
export class InvalidBase64UrlError extends Error {
  override readonly name = 'InvalidBase64UrlError';
}

/** Encodes bytes as base64url, without `=` padding. */
export function bufferToBase64Url(data: ArrayBuffer | ArrayBufferView): string {
  const bytes =
    data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let text = '';
  let index = 0;
  for (; index + 2 < bytes.length; index += 3) {
    const chunk = ((bytes[index] ?? 0) << 16) | ((bytes[index + 1] ?? 0) << 8) | (bytes[index + 2] ?? 0);
    text +=
      ALPHABET.charAt((chunk >> 18) & 63) +
      ALPHABET.charAt((chunk >> 12) & 63) +
      ALPHABET.charAt((chunk >> 6) & 63) +
      ALPHABET.charAt(chunk & 63);
  }
  const rest = bytes.length - index;
  if (rest === 1) {
    const chunk = (bytes[index] ?? 0) << 16;
    text += ALPHABET.charAt((chunk >> 18) & 63) + ALPHABET.charAt((chunk >> 12) & 63);
  } else if (rest === 2) {
    const chunk = ((bytes[index] ?? 0) << 16) | ((bytes[index + 1] ?? 0) << 8);
    text +=
      ALPHABET.charAt((chunk >> 18) & 63) + ALPHABET.charAt((chunk >> 12) & 63) + ALPHABET.charAt((chunk >> 6) & 63);
  }
  return text;
}

/**
 * Decodes base64url into a fresh `ArrayBuffer`. Padding is tolerated (some servers send it);
 * standard base64's `+` and `/`, white space, and a length no encoder produces are refused.
 */
export function base64UrlToBuffer(text: string): ArrayBuffer {
  const unpadded = text.replace(/={1,2}$/, '');
  if (unpadded.length % 4 === 1) {
    throw new InvalidBase64UrlError(`Not base64url: a length of ${unpadded.length} characters cannot be decoded`);
  }
  const bytes = new Uint8Array(Math.floor((unpadded.length * 3) / 4));
  let buffered = 0;
  let bitCount = 0;
  let written = 0;
  for (let index = 0; index < unpadded.length; index += 1) {
    const character = unpadded.charAt(index);
    const value = VALUES[character];
    if (value === undefined) {
      throw new InvalidBase64UrlError(`Not base64url: ${JSON.stringify(character)} at position ${index}`);
    }
    buffered = ((buffered << 6) | value) & 0xffffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      bytes[written] = (buffered >> bitCount) & 0xff;
      written += 1;
    }
  }
  return bytes.buffer;
}
