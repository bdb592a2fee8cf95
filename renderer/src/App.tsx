import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useApi } from './api/api-context';
import { ApiCallError } from './api/client';
import { NotificationsPage } from './pages/NotificationsPage';
import { OverviewPage } from './pages/OverviewPage';
import { PredictionsPage } from './pages/PredictionsPage';
import { SettingsPage } from './pages/SettingsPage';

// The Overview keeps the Predictions panel below the stack until pages get their own navigation.
function Overview() {
  return (
    <>
      <OverviewPage />
      <PredictionsPage />
    </>
  );
}

const PAGES = {
  overview: { title: 'Overview', Page: Overview },
  notifications: { title: 'Notifications', Page: NotificationsPage },
  settings: { title: 'Settings', Page: SettingsPage },
} as const;
type Page = keyof typeof PAGES;

export function App() {
  const api = useApi();
  const info = useQuery({ queryKey: ['app', 'info'], queryFn: () => api.call('app.info'), staleTime: Infinity, retry: false });
  const [page, setPage] = useState<Page>('overview');
  // The main process asks for a page (a notification's click, the Settings… menu item).
  useEffect(() => api.on('app.navigate', ({ page: wanted }) => wanted in PAGES && setPage(wanted as Page)), [api]);
  const { Page } = PAGES[page];

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
        <nav aria-label="Pages" className="pages">
          {(Object.keys(PAGES) as Page[]).map((p) => (
            <button key={p} type="button" aria-current={p === page ? 'page' : undefined} onClick={() => setPage(p)} data-testid={`nav-${p}`}>
              {PAGES[p].title}
            </button>
          ))}
        </nav>
      </header>
      <main>
        <Page />
      </main>
    </div>
  );
}
