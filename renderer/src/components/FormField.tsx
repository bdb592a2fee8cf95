import { useId, type ReactNode } from 'react';

export interface FormControlProps<N extends string> {
  id: string;
  name: N;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

interface Props<N extends string> {
  name: N;
  label: string;
  message?: string | undefined;
  hint?: string | undefined;
  /** Prefix of the field's test ids (`<prefix>-<name>`, `<prefix>-error-<name>`), one per form. */
  testIdPrefix: string;
  children: (p: FormControlProps<N>) => ReactNode;
}

/** A labelled control with its message beside it, tied to it for assistive technology; a hint where there is no message. */
export function FormField<N extends string>({ name, label, message, hint, testIdPrefix, children }: Props<N>) {
  const id = useId();
  const note = message ?? hint;
  return (
    <div className="field" data-testid={`${testIdPrefix}-${name}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, name, 'aria-invalid': !!message, 'aria-describedby': note ? `${id}-msg` : undefined })}
      {note && (
        <span id={`${id}-msg`} className={message ? 'field-error' : 'muted small'} data-testid={message ? `${testIdPrefix}-error-${name}` : undefined}>
          {note}
        </span>
      )}
    </div>
  );
}
