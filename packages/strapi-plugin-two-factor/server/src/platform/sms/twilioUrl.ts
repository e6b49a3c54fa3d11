/**
 * Joins a configured base URL and an API path. String joining rather than `new URL(path, base)`
 * keeps a path prefix in the base (`https://proxy.example/twilio`), which an absolute path
 * would drop.
 */
export function twilioUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
