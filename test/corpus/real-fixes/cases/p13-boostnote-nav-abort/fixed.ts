// BoostIO/BoostNote-App PR #1100: fetching a space's navigation data aborts the fetch of the space
// before it, and after the await the result is dropped when its own controller has been aborted
// (the browser may deliver a response after abort() was called).
import { useCallback, useRef, useState } from 'react';

interface NavData {
  folders: Array<{ id: string; name: string }>;
  docs: Array<{ id: string; title: string }>;
}

declare function getSpaceNavData(spaceId: string, opts: { signal: AbortSignal }): Promise<NavData>;

export function useNav() {
  const [navData, setNavData] = useState<NavData | null>(null);
  const [loading, setLoading] = useState(false);
  const navAbortRef = useRef<AbortController | null>(null);

  const fetchNav = useCallback(async (spaceId: string) => {
    navAbortRef.current?.abort();
    const controller = new AbortController();
    navAbortRef.current = controller;
    setLoading(true);
    try {
      const data = await getSpaceNavData(spaceId, { signal: controller.signal });
      if (controller.signal.aborted) return;
      setNavData(data);
    } catch (error) {
      if (controller.signal.aborted) return;
      console.warn(error);
    } finally {
      if (!controller.signal.aborted) setLoading(false);
    }
  }, []);

  return { navData, loading, fetchNav };
}
