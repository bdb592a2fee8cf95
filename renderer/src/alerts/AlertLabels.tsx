import { useNow } from '../components/use-now';
import { formatDuration } from '../metrics/format';

/** An alert's labels as chips, leaving out those shown elsewhere (the name, say). */
export function Labels({ labels, skip = [] }: { labels: Record<string, string>; skip?: string[] }) {
  return (
    <span className="labels">
      {Object.entries(labels)
        .filter(([k]) => !skip.includes(k))
        .map(([k, v]) => (
          <span key={k} className="label mono">
            {k}={v}
          </span>
        ))}
    </span>
  );
}

/** "3 min ago", kept current, with the exact time on hover. */
export function Since({ iso }: { iso: string | undefined }) {
  const now = useNow(10_000);
  if (!iso) return <span className="muted">–</span>;
  const t = Date.parse(iso);
  return <time dateTime={iso} title={new Date(t).toLocaleString()}>{formatDuration((now - t) / 1000)} ago</time>;
}
