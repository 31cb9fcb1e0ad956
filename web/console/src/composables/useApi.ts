import { ApiError } from '../logic/api-error.ts';
import { prefetch, takePrefetched } from './prefetch.ts';
import { useSessionStore } from '../stores/session.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Calls the API on the same origin with the staff token. Errors arrive as ApiError in the API's
 * format; a 401 ends the session at once (the router then shows the login page, the stores are
 * wiped), so no data outlives an expired token or an account an admin disabled or changed.
 */
export function useApi() {
  const session = useSessionStore();

  async function request<T>(method: Method, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const response = await fetch(path, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(session.token ? { Authorization: `Bearer ${session.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: { path: string; message: string; type?: string }[] } } | undefined)?.error;
      if (response.status === 401 && session.token) session.end(session.endReasonNow());
      throw new ApiError(response.status, error?.code ?? 'internal', error?.message ?? response.statusText, error?.details ?? []);
    }
    return parsed as T;
  }

  return {
    // An answer the router asked for early (composables/prefetch.ts) is taken instead of asking again.
    get: <T>(path: string) => takePrefetched<T>(path) ?? request<T>('GET', path),
    prefetch: (path: string) => prefetch(path, () => request('GET', path)),
    post: <T>(path: string, body: unknown, headers?: Record<string, string>) => request<T>('POST', path, body, headers),
    put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
    patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
    del: (path: string) => request<void>('DELETE', path),
  };
}
