/** The HTTP API client of the staff apps: the staff token from POST /auth/login, kept for this browser tab only. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface LoginResult {
  accessToken: string;
}

export interface StaffApi {
  getToken: () => string | null;
  setToken: (token: string | null) => void;
  /** Calls the HTTP API with the staff token; an error answer becomes an ApiError with the server's message. */
  api: <T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<T>;
  signIn: (email: string, password: string) => Promise<void>;
}

/** One app's API client; `tokenKey` names the sessionStorage entry, so each app keeps its own sign-in. */
export function createStaffApi(tokenKey: string): StaffApi {
  const getToken = (): string | null => sessionStorage.getItem(tokenKey);
  const setToken = (token: string | null): void => {
    if (token) sessionStorage.setItem(tokenKey, token);
    else sessionStorage.removeItem(tokenKey);
  };

  async function api<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const token = getToken();
    const raw = body instanceof Blob;
    const response = await fetch(path, {
      method,
      headers: {
        ...(body !== undefined && !raw ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const data: unknown = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const message = (data as { message?: string | string[] } | null)?.message;
      throw new ApiError(
        response.status,
        Array.isArray(message) ? message.join(', ') : (message ?? response.statusText),
      );
    }
    return data as T;
  }

  async function signIn(email: string, password: string): Promise<void> {
    const result = await api<LoginResult>('POST', '/auth/login', { email, password });
    setToken(result.accessToken);
  }

  return { getToken, setToken, api, signIn };
}
