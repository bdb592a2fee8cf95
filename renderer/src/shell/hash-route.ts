import { useEffect, useState } from 'react';

/** The page id in the address's hash (`#/metrics`), so reloads and the back button keep the page. */
export function pageFromHash(hash: string, ids: readonly string[], fallback: string): string {
  const id = /^#\/?([a-z0-9-]+)/.exec(hash)?.[1];
  return id && ids.includes(id) ? id : fallback;
}

/** The address's hash, following it as it changes (links, the back button, `location.hash = …`). */
export function useHash(): string {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

export function useHashPage(ids: readonly string[], fallback: string): string {
  return pageFromHash(useHash(), ids, fallback);
}

/** The parameters after the page id (`#/metrics?from=1&to=2`); none when there are none. */
export function hashParams(hash: string): URLSearchParams {
  const at = hash.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : hash.slice(at + 1));
}

/** A page's address with parameters (`#/metrics?tab=x&from=1`); undefined ones are left out. */
export function pageHref(page: string, params: Record<string, string | number | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) query.set(k, String(v));
  return query.size ? `#/${page}?${query}` : `#/${page}`;
}
