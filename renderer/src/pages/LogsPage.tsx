import { useQuery } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useApi } from '../api/api-context';
import { useStackStatus } from '../api/stack-queries';
import { serviceTitle } from '../components/service-display';
import { appendCapped, filterLines, highlightParts } from '../logs/log-search';

const MAX_LINES = 5000;
const TAIL_CHOICES = [100, 200, 500, 1000];

/** The last lines of one source, then its new lines as they come while `follow` is on. */
function useLogStream(source: string | null, tail: number, follow: boolean) {
  const api = useApi();
  const [lines, setLines] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [ended, setEnded] = useState(false);
  const [attempt, setAttempt] = useState(0);
  // A stack service's container (each inference worker's, or the host process) coming or going
  // starts the stream over, so following resumes by itself once the stack runs.
  const services = useStackStatus().data?.services.filter((s) => s.name === source) ?? [];
  const container = services.map((s) => s.containerId ?? (s.pid !== null ? `pid ${s.pid}` : '')).filter(Boolean).join(',') || null;
  const title = services[0] ? serviceTitle({ ...services[0], worker: null }) : null;

  useEffect(() => {
    if (!source) return;
    if (title && !container) {
      // Known without asking: a stack service without a container (or process) has no log.
      setLines([]);
      setError(`${title} is not running: start the stack on the Overview page.`);
      return;
    }
    let cancelled = false;
    let followId: string | null = null;
    setError(null);
    setEnded(false);
    const off = api.on('logs.lines', (e) => {
      if (cancelled || e.source !== source) return;
      if (e.lines.length) setLines((prev) => appendCapped(prev, e.lines, MAX_LINES));
      if (e.ended) setEnded(true);
    });
    void (async () => {
      try {
        const r = await api.call('logs.tail', source, { tail });
        if (cancelled) return;
        setLines(r.lines);
        if (!follow) return;
        const f = await api.call('logs.follow', source);
        if (cancelled) void api.call('logs.unfollow', f.followId).catch(() => undefined);
        else followId = f.followId;
      } catch (err) {
        if (!cancelled) {
          setLines([]);
          setError((err as Error).message);
        }
      }
    })();
    return () => {
      cancelled = true;
      off();
      if (followId) void api.call('logs.unfollow', followId).catch(() => undefined);
    };
  }, [api, source, tail, follow, container, title, attempt]);

  return { lines, error, ended, retry: () => setAttempt((n) => n + 1) };
}

export function LogsPage() {
  const api = useApi();
  const sources = useQuery({ queryKey: ['logs', 'sources'], queryFn: () => api.call('logs.sources'), staleTime: Infinity });
  const [chosen, setChosen] = useState<string | null>(null);
  const source = chosen ?? sources.data?.[0]?.id ?? null;
  const [tail, setTail] = useState(200);
  const [follow, setFollow] = useState(true);
  const [term, setTerm] = useState('');
  const stream = useLogStream(source, tail, follow);
  const shown = filterLines(stream.lines, term);

  const box = useRef<HTMLPreElement>(null);
  const stick = useRef(true);
  useLayoutEffect(() => {
    if (stick.current && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [shown.length]);

  return (
    <section aria-labelledby="logs-title" className="logs-page">
      <div className="toolbar">
        <h1 id="logs-title">Logs</h1>
        <div className="actions logs-controls">
          <label>
            Source{' '}
            <select value={source ?? ''} onChange={(e) => setChosen(e.target.value)} data-testid="log-source">
              {sources.data?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
            </select>
          </label>
          <label>
            Last{' '}
            <select value={tail} onChange={(e) => setTail(Number(e.target.value))}>
              {TAIL_CHOICES.map((n) => (
                <option key={n} value={n}>
                  {n} lines
                </option>
              ))}
            </select>
          </label>
          <label>
            <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} data-testid="log-follow" /> Follow
          </label>
          <input type="search" placeholder="Search" aria-label="Search the log" value={term} onChange={(e) => setTerm(e.target.value)} data-testid="log-search" />
        </div>
      </div>
      {stream.error ? (
        <div className="error" role="alert" data-testid="log-error">
          {stream.error}{' '}
          <button type="button" onClick={stream.retry}>
            Try again
          </button>
        </div>
      ) : (
        <>
          <p className="muted small" aria-live="polite">
            {term.trim() ? `${shown.length} of ${stream.lines.length} lines match` : `${stream.lines.length} lines`}
            {follow && (stream.ended ? ' · the stream ended (container stopped)' : ' · following')}
          </p>
          <pre
            ref={box}
            className="log-view"
            tabIndex={0}
            aria-label="Log lines"
            data-testid="log-lines"
            onScroll={(e) => {
              const el = e.currentTarget;
              stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
            }}
          >
            {shown.length === 0 ? (
              <span className="muted">{stream.lines.length ? 'No line matches the search.' : 'No log lines yet.'}</span>
            ) : (
              shown.map((line, i) => (
                <div key={i}>
                  {highlightParts(line, term).map((p, j) => (p.match ? <mark key={j}>{p.text}</mark> : <span key={j}>{p.text}</span>))}
                </div>
              ))
            )}
          </pre>
        </>
      )}
    </section>
  );
}
