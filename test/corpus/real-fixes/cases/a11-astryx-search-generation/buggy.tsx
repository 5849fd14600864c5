// facebook/astryx before PR #3588 (buggy twin): the generation is read, never claimed
import { useCallback, useRef, useState } from 'react';

export interface SearchSource<T> { search(query: string): Promise<T[]> }

export function useBaseTypeahead<T>(searchSource: SearchSource<T>) {
  const searchGenRef = useRef(0);
  const latestResults = useRef<T[]>([]);
  const [results, setResults] = useState<T[]>([]);

  const performSearch = useCallback(
    async (query: string) => {
      const gen = searchGenRef.current;
      const items = await searchSource.search(query);
      if (searchGenRef.current !== gen) return;
      latestResults.current = items;
//    ^ lost-update
      setResults(items);
    },
    [searchSource],
  );

  return { results, performSearch };
}
