import { useEffect, useState } from 'react';

/** The page id in the address's hash (`#/metrics`), so reloads and the back button keep the page. */
export function pageFromHash(hash: string, ids: readonly string[], fallback: string): string {
  const id = /^#\/?([a-z0-9-]+)/.exec(hash)?.[1];
  return id && ids.includes(id) ? id : fallback;
}

export function useHashPage(ids: readonly string[], fallback: string): string {
  const [page, setPage] = useState(() => pageFromHash(window.location.hash, ids, fallback));
  useEffect(() => {
    const onChange = () => setPage(pageFromHash(window.location.hash, ids, fallback));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, [ids, fallback]);
  return page;
}
