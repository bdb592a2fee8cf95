import { useId, type ReactNode } from 'react';
import type { AddField } from './add-rig-form';

export interface RigControlProps {
  id: string;
  name: AddField;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

/** A labelled control of the Add rig form with its message (or hint) beside it, tied to it by aria-describedby. */
export function RigField({ name, label, message, hint, children }: { name: AddField; label: string; message?: string | undefined; hint?: string | undefined; children: (p: RigControlProps) => ReactNode }) {
  const id = useId();
  const note = message ?? hint;
  return (
    <div className="field" data-testid={`rig-field-${name}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, name, 'aria-invalid': !!message, 'aria-describedby': note ? `${id}-msg` : undefined })}
      {note && (
        <span id={`${id}-msg`} className={message ? 'field-error' : 'muted small'} data-testid={message ? `rig-field-error-${name}` : undefined}>
          {note}
        </span>
      )}
    </div>
  );
}
