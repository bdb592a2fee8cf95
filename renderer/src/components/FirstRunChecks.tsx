import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context';

/** The first-run checks that failed, each with its fix; nothing at all when every check passes. */
export function FirstRunChecks() {
  const api = useApi();
  const checks = useQuery({ queryKey: ['app', 'checks'], queryFn: () => api.call('app.checks'), staleTime: 60_000 });
  const failed = checks.data?.checks.filter((c) => !c.ok) ?? [];
  if (failed.length === 0) return null;
  return (
    <aside className="card checks" aria-labelledby="checks-title" data-testid="first-run-checks">
      <header>
        <h2 id="checks-title">Before the first start</h2>
        <button type="button" onClick={() => void checks.refetch()} disabled={checks.isFetching}>
          {checks.isFetching ? 'Checking…' : 'Check again'}
        </button>
      </header>
      <ul>
        {failed.map((c) => (
          <li key={c.id} data-testid={`check-${c.id}`}>
            <strong>{c.title}:</strong> {c.detail}
            <br />
            <span className="muted">Fix: </span>
            {c.fix}
          </li>
        ))}
      </ul>
    </aside>
  );
}
