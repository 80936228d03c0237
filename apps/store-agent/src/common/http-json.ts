/** A JSON answer of any status; `body` is the parsed JSON, or null when there was none or it was not JSON. */
export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
}

/** The request never got an answer: connection refused or reset, DNS, timeout. */
export class HttpUnreachableError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`${url} is unreachable: ${reason}`);
    this.name = 'HttpUnreachableError';
  }
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  if (error.name === 'TimeoutError') return 'timed out';
  if (error.name === 'AbortError') return 'aborted';
  return cause?.code ?? cause?.message ?? error.message;
}

/** One JSON request with a deadline; any status is an answer, only a missing answer throws. */
export async function httpJson<T = unknown>(req: HttpRequest): Promise<HttpAnswer<T>> {
  const signal = req.signal ? AbortSignal.any([req.signal, AbortSignal.timeout(req.timeoutMs)]) : AbortSignal.timeout(req.timeoutMs);
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  let text: string;
  let status: number;
  try {
    const res = await fetch(req.url, { method: req.method, headers, body: req.body === undefined ? undefined : JSON.stringify(req.body), signal });
    status = res.status;
    text = await res.text();
  } catch (error) {
    throw new HttpUnreachableError(req.url, describe(error));
  }
  let body: unknown = null;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  return { status, body: body as T };
}

/** The `code` and `message` of an error body of the product's APIs, when it has them. */
export function errorOf(body: unknown): { code: string | null; message: string } {
  if (body && typeof body === 'object') {
    const { code, message } = body as { code?: unknown; message?: unknown };
    return { code: typeof code === 'string' ? code : null, message: typeof message === 'string' ? message : JSON.stringify(body).slice(0, 300) };
  }
  return { code: null, message: body === null ? 'no body' : String(body).slice(0, 300) };
}
