import { ApiError } from './api-error.js';
import { isUnavailable, type ServiceStatus } from './service-status.js';

export { ApiError } from './api-error.js';

type Query = Record<string, string | number | undefined>;

export interface ApiClientOptions {
  /** Returns the operator's token, if signed in. */
  token: () => string | null;
  /** Called on a 401 from a route that needed the token: the session is over. */
  onUnauthorized: () => void;
  /** Told of every outcome: a 503, a 502/504 or no answer marks the service unavailable (never the session over). */
  status?: ServiceStatus;
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
      const unreachable = new ApiError(0, 'NETWORK_ERROR', `The cloud cannot be reached (${(error as Error).message})`);
      this.options.status?.reportUnavailable(unreachable);
      throw unreachable;
    }
    const text = await res.text().catch(() => '');
    const json = text ? safeJson(text) : undefined;
    if (!res.ok) {
      const err = (json ?? {}) as { code?: string; message?: string; details?: unknown };
      const error = new ApiError(res.status, err.code ?? `HTTP_${res.status}`, err.message ?? res.statusText, err.details);
      if (isUnavailable(error)) {
        this.options.status?.reportUnavailable(error);
        throw error;
      }
      this.options.status?.reportAnswered();
      // Only a 401 ends the session: an outage (503) keeps it, whatever a page does with the error.
      if (res.status === 401 && !path.startsWith('/auth/login')) this.options.onUnauthorized();
      throw error;
    }
    this.options.status?.reportAnswered();
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
