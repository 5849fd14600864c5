// gitpod-io/memo PR #146 "search empty state never renders due to stale fetch race" (reduction, fixed)
'use client';
import { useEffect, useRef, useState } from 'react';

interface PageHit { id: string; title: string }

export function SearchDialog({ workspaceId }: { workspaceId: string }) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<PageHit[]>([]);
  const [loading, setLoading] = useState(false);
  const [searched, setSearched] = useState(false);
  const controllerRef = useRef<AbortController | null>(null);

  useEffect(() => {
    controllerRef.current?.abort();
    setSearched(false);
    if (!query.trim()) {
      setResults([]);
      return;
    }
    const controller = new AbortController();
    controllerRef.current = controller;
    const { signal } = controller;
    const handle = setTimeout(async () => {
      setLoading(true);
      try {
        const res = await fetch(`/api/search?workspace=${workspaceId}&q=${encodeURIComponent(query)}`, { signal });
        const data: PageHit[] = await res.json();
        if (signal.aborted) return;
        setResults(data);
        setSearched(true);
      } catch (err) {
        if (signal.aborted) return;
        setResults([]);
      } finally {
        if (!signal.aborted) setLoading(false);
      }
    }, 200);
    return () => {
      clearTimeout(handle);
      controller.abort();
    };
  }, [query, workspaceId]);

  return (
    <div>
      <input value={query} onChange={(e) => setQuery(e.target.value)} />
      {loading ? <p>Loading…</p> : searched && results.length === 0 ? <p>No pages match your search</p> : null}
      <ul>{results.map((r) => <li key={r.id}>{r.title}</li>)}</ul>
    </div>
  );
}
