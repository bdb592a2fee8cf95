import { useId, type ReactNode } from 'react';
import type { FormField } from './spec-form';

export interface ControlProps {
  id: string;
  name: FormField;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

/** A labelled control with its message beside it, tied to it for assistive technology; a hint where there is no message. */
export function Field({ name, label, message, hint, children }: { name: FormField; label: string; message?: string | undefined; hint?: string | undefined; children: (p: ControlProps) => ReactNode }) {
  const id = useId();
  const note = message ?? hint;
  return (
    <div className="field" data-testid={`field-${name}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, name, 'aria-invalid': !!message, 'aria-describedby': note ? `${id}-msg` : undefined })}
      {note && (
        <span id={`${id}-msg`} className={message ? 'field-error' : 'muted small'} data-testid={message ? `field-error-${name}` : undefined}>
          {note}
        </span>
      )}
    </div>
  );
}
