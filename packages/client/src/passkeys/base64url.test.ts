import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64UrlToBuffer, bufferToBase64Url, InvalidBase64UrlError } from './base64url';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const bytesOf = (buffer: ArrayBuffer): number[] => [...new Uint8Array(buffer)];

describe('base64url', () => {
  // RFC 4648 §10's vectors, without the padding base64url leaves out.
  const RFC_4648_VECTORS: [string, string][] = [
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy'],
  ];

  it.each(RFC_4648_VECTORS)('should encode %j as the RFC 4648 vector %j', (input, encoded) => {
    expect(bufferToBase64Url(text(input))).toBe(encoded);
  });

  it.each(RFC_4648_VECTORS)('should decode the RFC 4648 vector of %j', (input, encoded) => {
    expect(bytesOf(base64UrlToBuffer(encoded))).toEqual([...text(input)]);
  });

  it('should use - and _ where base64 uses + and /', () => {
    expect(bufferToBase64Url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
    expect(bytesOf(base64UrlToBuffer('-_-_'))).toEqual([0xfb, 0xff, 0xbf]);
  });

  it('should agree with Node’s base64url for every length from 0 to 80 bytes', () => {
    for (let length = 0; length <= 80; length += 1) {
      const bytes = randomBytes(length);
      const expected = bytes.toString('base64url');
      expect(bufferToBase64Url(bytes)).toBe(expected);
      expect(Buffer.from(base64UrlToBuffer(expected)).equals(bytes)).toBe(true);
    }
  });

  it('should encode only the viewed bytes of a view into a larger buffer', () => {
    const whole = new Uint8Array([1, 2, 3, 4, 5, 6]);
    expect(bufferToBase64Url(whole.subarray(2, 5))).toBe(Buffer.from([3, 4, 5]).toString('base64url'));
    expect(bufferToBase64Url(new DataView(whole.buffer, 1, 2))).toBe(Buffer.from([2, 3]).toString('base64url'));
  });

  it('should return a buffer of exactly the decoded length', () => {
    expect(base64UrlToBuffer('Zm9vYg').byteLength).toBe(4);
    expect(base64UrlToBuffer('Zm9vYmE').byteLength).toBe(5);
  });

  it('should accept the padding some servers send', () => {
    expect(bytesOf(base64UrlToBuffer('Zm9vYg=='))).toEqual([...text('foob')]);
    expect(bytesOf(base64UrlToBuffer('Zm9vYmE='))).toEqual([...text('fooba')]);
  });

  it.each([
    ['standard base64’s +', 'ab+c'],
    ['standard base64’s /', 'ab/c'],
    ['white space', 'Zm9v Yg'],
    ['a length no encoder makes', 'Zm9vY'],
  ])('should refuse %s', (_what, input) => {
    expect(() => base64UrlToBuffer(input)).toThrow(InvalidBase64UrlError);
  });
});
