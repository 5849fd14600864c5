// ava/use-http PR #393 (for issue #302): a request clears the shared abort-controller ref in its
// `finally` only when the ref still holds the controller that request created, so an aborted
// request that settles late does not drop the controller of the request that replaced it.
import { useCallback, useRef, useState } from 'react';

export function useFetch<T>(url: string) {
  const controller = useRef<AbortController | undefined>(undefined);
  const [data, setData] = useState<T | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const doFetch = useCallback(
    async (route = '', init: RequestInit = {}) => {
      controller.current = new AbortController();
      const theController = controller.current;
      setLoading(true);
      try {
        const response = await fetch(url + route, { ...init, signal: theController.signal });
        const body = (await response.json()) as T;
        setData(body);
        return body;
      } catch (err) {
        if ((err as Error).name !== 'AbortError') setError(err);
        return undefined;
      } finally {
        if (controller.current === theController) controller.current = undefined;
        setLoading(false);
      }
    },
    [url],
  );

  const abort = useCallback(() => controller.current?.abort(), []);

  return { data, loading, error, get: (route?: string) => doFetch(route, { method: 'GET' }), abort };
}
