// MODSetter/SurfSense issue #1006 (buggy twin): the connector hook's async create/delete close over
// the `connectors` state of their render; after awaiting the request they set a list built from
// that snapshot, so two operations running at once lose the first one's change.
import { useCallback, useState } from 'react';

export interface SearchSourceConnector {
  id: number;
  name: string;
  connector_type: string;
}

export function useSearchSourceConnectors() {
  const [connectors, setConnectors] = useState<SearchSourceConnector[]>([]);

  const createConnector = useCallback(
    async (data: Omit<SearchSourceConnector, 'id'>) => {
      const response = await fetch('/api/v1/search-source-connectors', { method: 'POST', body: JSON.stringify(data) });
      const newConnector: SearchSourceConnector = await response.json();
      setConnectors([...connectors, newConnector]);
//    ^ lost-update
      return newConnector;
    },
    [connectors],
  );

  const deleteConnector = useCallback(
    async (connectorId: number) => {
      await fetch(`/api/v1/search-source-connectors/${connectorId}`, { method: 'DELETE' });
      setConnectors(connectors.filter((c) => c.id !== connectorId));
//    ^ lost-update
    },
    [connectors],
  );

  return { connectors, createConnector, deleteConnector };
}
