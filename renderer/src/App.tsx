import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useApi } from './api/api-context';
import { ApiCallError } from './api/client';
import { PAGES } from './pages';
import { useHashPage } from './shell/hash-route';
import { PageActiveContext } from './shell/page-activity';
import { StatusBar } from './shell/StatusBar';

const PAGE_IDS = PAGES.map((p) => p.id);

export function App() {
  const api = useApi();
  const info = useQuery({ queryKey: ['app', 'info'], queryFn: () => api.call('app.info'), staleTime: Infinity, retry: false });
  const current = useHashPage(PAGE_IDS, PAGE_IDS[0]!);
  // Pages mount on first visit and then stay mounted (hidden), so each keeps its state.
  const [visited, setVisited] = useState<ReadonlySet<string>>(() => new Set([current]));
  if (!visited.has(current)) setVisited(new Set([...visited, current]));
  // The main process asks for a page: a desktop notification's click, the Settings… menu item.
  useEffect(() => api.on('app.navigate', ({ page }) => PAGE_IDS.includes(page) && (window.location.hash = `#/${page}`)), [api]);
  // Alt+1…9 opens the page at that place in the navigation, Alt+0 the tenth.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const page = e.altKey && !e.ctrlKey && !e.metaKey && /^\d$/.test(e.key) ? PAGE_IDS[e.key === '0' ? 9 : Number(e.key) - 1] : undefined;
      if (!page) return;
      e.preventDefault();
      window.location.hash = `#/${page}`;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (info.error instanceof ApiCallError && info.error.code === 'UNAUTHORIZED') {
    return (
      <main className="centered">
        <h1>Access token needed</h1>
        <p>This console only answers the browser that opened the address <code>rx580-ops serve</code> printed, with its token. Open that address again.</p>
      </main>
    );
  }

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">RX580 Ops Console</span>
        {info.data && (
          <span className="muted">
            v{info.data.version} · {info.data.mode === 'desktop' ? 'desktop' : 'web mode'} · project {info.data.project}
          </span>
        )}
      </header>
      <nav className="sidebar" aria-label="Pages">
        <ul>
          {PAGES.map((p, i) => (
            <li key={p.id}>
              <a href={`#/${p.id}`} aria-current={p.id === current ? 'page' : undefined} aria-keyshortcuts={i < 10 ? `Alt+${(i + 1) % 10}` : undefined} data-testid={`nav-${p.id}`}>
                {p.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        {PAGES.filter((p) => visited.has(p.id)).map(({ id, Component }) => (
          <div key={id} hidden={id !== current} data-testid={`page-${id}`}>
            <PageActiveContext.Provider value={id === current}>
              <Component />
            </PageActiveContext.Provider>
          </div>
        ))}
      </main>
      <StatusBar />
    </div>
  );
}
