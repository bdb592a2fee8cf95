import { TIME_RANGES } from '../metrics/step';

interface Props {
  value: number;
  onChange: (seconds: number) => void;
  label: string;
  /** The ranges offered; the charts' by default. */
  ranges?: readonly { label: string; seconds: number }[];
}

/** The time range as a group of radio buttons: arrow keys move between them. */
export function RangePicker({ value, onChange, label, ranges = TIME_RANGES }: Props) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      {ranges.map((r) => (
        <label key={r.seconds} className={r.seconds === value ? 'selected' : undefined}>
          <input type="radio" name={label} value={r.seconds} checked={r.seconds === value} onChange={() => onChange(r.seconds)} />
          {r.label}
        </label>
      ))}
    </div>
  );
}
