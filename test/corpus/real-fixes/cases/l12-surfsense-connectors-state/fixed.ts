// MODSetter/SurfSense issue #1006 "Use functional setState in async handlers to prevent stale
// closures in connector hook" (reduction of the fix it specifies): each set takes the list it
// changes from the updater's argument, the latest state, not from the render's snapshot.
import { useCallback, useState } from 'react';

export interface SearchSourceConnector {
  id: number;
  name: string;
  connector_type: string;
}

export function useSearchSourceConnectors() {
  const [connectors, setConnectors] = useState<SearchSourceConnector[]>([]);

  const createConnector = useCallback(async (data: Omit<SearchSourceConnector, 'id'>) => {
    const response = await fetch('/api/v1/search-source-connectors', { method: 'POST', body: JSON.stringify(data) });
    const newConnector: SearchSourceConnector = await response.json();
    setConnectors((prev) => [...prev, newConnector]);
    return newConnector;
  }, []);

  const deleteConnector = useCallback(async (connectorId: number) => {
    await fetch(`/api/v1/search-source-connectors/${connectorId}`, { method: 'DELETE' });
    setConnectors((prev) => prev.filter((c) => c.id !== connectorId));
  }, []);

  return { connectors, createConnector, deleteConnector };
}
