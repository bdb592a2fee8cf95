import { useQuery } from '@tanstack/react-query';
import { useApi } from './api/api-context';
import { ApiCallError } from './api/client';
import { OverviewPage } from './pages/OverviewPage';
import { PredictionsPage } from './pages/PredictionsPage';

export function App() {
  const api = useApi();
  const info = useQuery({ queryKey: ['app', 'info'], queryFn: () => api.call('app.info'), staleTime: Infinity, retry: false });

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
      <main>
        <OverviewPage />
        <PredictionsPage />
      </main>
    </div>
  );
}
