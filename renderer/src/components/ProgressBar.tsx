/** Determinate when the total is known, indeterminate otherwise. */
export function ProgressBar({ current, total, label }: { current: number | null; total: number | null; label: string }) {
  const pct = current !== null && total ? Math.min(100, Math.round((current / total) * 100)) : null;
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      {...(pct !== null ? { 'aria-valuenow': pct } : {})}
    >
      <div className={pct === null ? 'progress-fill indeterminate' : 'progress-fill'} style={pct === null ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
