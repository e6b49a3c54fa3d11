export interface HttpResponse<Body = unknown> {
  status: number;
  headers: Headers;
  body: Body;
  /** `Set-Cookie` headers, one entry per cookie. */
  setCookies: string[];
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** A Bearer token for `Authorization`. */
  jwt?: string;
  /** Sent as the `Cookie` header. */
  cookie?: string;
}

/** A small JSON client for the app under test: every call returns status, headers and body. */
export class HttpClient {
  constructor(readonly baseUrl: string) {}

  async request<Body = unknown>(
    method: string,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<HttpResponse<Body>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.jwt !== undefined) headers.authorization = `Bearer ${options.jwt}`;
    if (options.cookie !== undefined) headers.cookie = options.cookie;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
    return {
      status: response.status,
      headers: response.headers,
      body: parsed as Body,
      setCookies: response.headers.getSetCookie(),
    };
  }

  get<Body = unknown>(path: string, options?: RequestOptions): Promise<HttpResponse<Body>> {
    return this.request<Body>('GET', path, undefined, options);
  }

  post<Body = unknown>(path: string, body?: unknown, options?: RequestOptions): Promise<HttpResponse<Body>> {
    return this.request<Body>('POST', path, body ?? {}, options);
  }

  delete<Body = unknown>(path: string, options?: RequestOptions): Promise<HttpResponse<Body>> {
    return this.request<Body>('DELETE', path, undefined, options);
  }
}
