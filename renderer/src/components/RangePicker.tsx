import { TIME_RANGES } from '../metrics/step';

/** The time range as a group of radio buttons: arrow keys move between them. */
export function RangePicker({ value, onChange, label }: { value: number; onChange: (seconds: number) => void; label: string }) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      {TIME_RANGES.map((r) => (
        <label key={r.seconds} className={r.seconds === value ? 'selected' : undefined}>
          <input type="radio" name={label} value={r.seconds} checked={r.seconds === value} onChange={() => onChange(r.seconds)} />
          {r.label}
        </label>
      ))}
    </div>
  );
}
