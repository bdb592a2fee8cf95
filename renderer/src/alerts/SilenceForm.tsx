import { useId, useState } from 'react';
import type { CreateSilenceInput } from '../../../electron/api/monitoring-contract';
import { useCreateSilences } from '../api/silence-queries';
import { SILENCE_DURATIONS } from './silence-form';

interface Props {
  /** Names the form for screen readers ("Silence APIDown"). */
  label: string;
  /** The silences to create for the duration and reason given: one for an alert, more for a maintenance. */
  silences: (durationSeconds: number, comment: string) => CreateSilenceInput[];
  onCreated?: (ids: string[]) => void;
  /** Shows a Cancel button that calls it. */
  onCancel?: () => void;
  submitLabel?: string;
  /** Focus the reason at once: right for a form opened by a click, not for one always shown. */
  autoFocus?: boolean;
  testId?: string;
}

/** For how long and why: the form every silence of the console is made with. */
export function SilenceForm({ label, silences, onCreated, onCancel, submitLabel = 'Create silence', autoFocus = true, testId }: Props) {
  const id = useId();
  const [duration, setDuration] = useState<number>(SILENCE_DURATIONS[1].seconds);
  const [comment, setComment] = useState('');
  const create = useCreateSilences();
  return (
    <form
      className="silence-form"
      aria-label={label}
      data-testid={testId}
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(silences(duration, comment), {
          onSuccess: (ids) => {
            setComment('');
            onCreated?.(ids);
          },
        });
      }}
    >
      <label htmlFor={`${id}-duration`}>For</label>
      <select id={`${id}-duration`} value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
        {SILENCE_DURATIONS.map((d) => (
          <option key={d.seconds} value={d.seconds}>
            {d.label}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-comment`}>Why</label>
      <input id={`${id}-comment`} value={comment} onChange={(e) => setComment(e.target.value)} placeholder="e.g. planned maintenance" required maxLength={500} autoFocus={autoFocus} />
      <button type="submit" className="primary" disabled={create.isPending || !comment.trim()}>
        {submitLabel}
      </button>
      {onCancel && (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      )}
      {create.error && (
        <p className="error field-error" role="alert">
          {create.error.message}
        </p>
      )}
    </form>
  );
}
