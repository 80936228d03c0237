import { ApiError } from './api-error.js';

export { ApiError } from './api-error.js';

type Query = Record<string, string | number | undefined>;

export interface ApiClientOptions {
  /** Returns the operator's token, if signed in. */
  token: () => string | null;
  /** Called on a 401 from a route that needed the token: the session is over. */
  onUnauthorized: () => void;
  baseUrl?: string;
}

/** A small typed fetch client for the cloud's operator API under /api/v1. */
export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, undefined, query);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  async request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
    const url = new URL(`${this.options.baseUrl ?? ''}/api/v1${path}`, window.location.origin);
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    const token = this.options.token();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      throw new ApiError(0, 'NETWORK_ERROR', `The cloud cannot be reached (${(error as Error).message})`);
    }
    const text = await res.text();
    const json = text ? safeJson(text) : undefined;
    if (!res.ok) {
      const err = (json ?? {}) as { code?: string; message?: string; details?: unknown };
      if (res.status === 401 && !path.startsWith('/auth/login')) this.options.onUnauthorized();
      throw new ApiError(res.status, err.code ?? `HTTP_${res.status}`, err.message ?? res.statusText, err.details);
    }
    return json as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A message fit for a banner, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
