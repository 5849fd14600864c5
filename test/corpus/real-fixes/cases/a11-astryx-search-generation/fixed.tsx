// facebook/astryx PR #3588 "typeahead: claim a generation per search" (reduction, fixed)
import { useCallback, useRef, useState } from 'react';

export interface SearchSource<T> {
  search(query: string): Promise<T[]>;
  bootstrap?(): Promise<T[]>;
  cancel?(): void;
}

export function useBaseTypeahead<T>(searchSource: SearchSource<T>) {
  const searchGenRef = useRef(0);
  const resultsGenRef = useRef(-1);
  const [results, setResults] = useState<T[]>([]);
  const [highlightedIndex, setHighlightedIndex] = useState(0);
  const [isLoading, setIsLoading] = useState(false);

  const performSearch = useCallback(
    async (query: string) => {
      const gen = ++searchGenRef.current;
      searchSource.cancel?.();
      setIsLoading(true);
      const items = await searchSource.search(query);
      if (searchGenRef.current !== gen) return; // a newer search owns the list
      resultsGenRef.current = gen;
      setResults(items);
      setHighlightedIndex(0);
      setIsLoading(false);
    },
    [searchSource],
  );

  const performBootstrap = useCallback(async () => {
    if (!searchSource.bootstrap) return;
    const gen = ++searchGenRef.current;
    const items = await searchSource.bootstrap();
    if (searchGenRef.current !== gen) return;
    resultsGenRef.current = gen;
    setResults(items);
  }, [searchSource]);

  const clear = useCallback(() => {
    searchGenRef.current++;
    setResults([]);
    setIsLoading(false);
  }, []);

  return { results, highlightedIndex, isLoading, performSearch, performBootstrap, clear };
}
