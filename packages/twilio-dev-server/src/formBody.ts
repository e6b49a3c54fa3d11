import type { IncomingMessage } from 'node:http';

const MAX_BODY_BYTES = 64 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super(`Request body exceeds ${MAX_BODY_BYTES} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Twilio reads parameters from an `application/x-www-form-urlencoded` body; any other body
 * is as good as no parameters, which then fail the usual "required" checks.
 */
export function parseForm(request: IncomingMessage, raw: string): URLSearchParams {
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return new URLSearchParams();
  }
  return new URLSearchParams(raw);
}

export function parseJson(raw: string): unknown {
  if (raw.trim() === '') return {};
  return JSON.parse(raw) as unknown;
}
