import { useId, type KeyboardEvent } from 'react';
import type { TensorInfo } from '../../../electron/api/inference-contract';
import { tensorSignature } from '../components/tensor-signature';
import { exampleValue, hasDynamicDims, type FieldCheck, type FieldText } from './tensor-field';

interface FieldProps {
  info: TensorInfo;
  text: FieldText;
  check: FieldCheck;
  /** Whether a run was asked for: from then on an empty field says so too. */
  attempted: boolean;
  onChange: (text: FieldText) => void;
}

/** Enter runs, as in a one-line field; Shift+Enter still starts a new line in long values. */
function submitOnEnter(e: KeyboardEvent<HTMLTextAreaElement>) {
  if (e.key !== 'Enter' || e.shiftKey || e.nativeEvent.isComposing) return;
  e.preventDefault();
  e.currentTarget.form?.requestSubmit();
}

function TensorField({ info, text, check, attempted, onChange }: FieldProps) {
  const id = useId();
  const ids = { values: `${id}-values`, dims: `${id}-dims`, hint: `${id}-hint`, error: `${id}-error` };
  const scalar = info.shape.length === 0;
  const error = check.ok || (check.part === 'values' && text.values.trim() === '' && !attempted) ? null : check;
  const describedBy = (part: keyof FieldText) => (error?.part === part ? `${ids.hint} ${ids.error}` : ids.hint);
  const example = exampleValue(info.type);
  const common = {
    id: ids.values,
    name: `${info.name}:values`,
    value: text.values,
    spellCheck: false,
    autoComplete: 'off',
    'aria-invalid': error?.part === 'values',
    'aria-describedby': describedBy('values'),
    'data-testid': `values-${info.name}`,
  };
  return (
    <div className="tensor-field">
      <label htmlFor={ids.values} className="mono">
        {tensorSignature(info)}
      </label>
      {hasDynamicDims(info) && (
        <span className="dims">
          <label htmlFor={ids.dims}>Dims</label>
          <input
            id={ids.dims}
            name={`${info.name}:dims`}
            className="mono"
            value={text.dims}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={error?.part === 'dims'}
            aria-describedby={describedBy('dims')}
            data-testid={`dims-${info.name}`}
            onChange={(e) => onChange({ ...text, dims: e.target.value })}
          />
        </span>
      )}
      {scalar ? (
        <input {...common} className="mono" placeholder={`e.g. ${example}`} onChange={(e) => onChange({ ...text, values: e.target.value })} />
      ) : (
        <textarea {...common} rows={2} placeholder={`e.g. [${example}, ${example}, …]`} onKeyDown={submitOnEnter} onChange={(e) => onChange({ ...text, values: e.target.value })} />
      )}
      <p className="field-note" id={ids.hint}>
        {scalar ? `A single ${info.type} value (rank 0).` : `${info.type} values as a JSON array, nested or flat. Enter runs; Shift+Enter starts a new line.`}
      </p>
      <p className="field-error" id={ids.error} aria-live="polite" data-testid={`field-error-${info.name}`}>
        {error?.message}
      </p>
    </div>
  );
}

/** One field per model input, each checked as it is typed; `checks` are the parent's, which sends them. */
export function TensorInputForm({ inputs, texts, checks, attempted, onChange }: {
  inputs: TensorInfo[];
  texts: Record<string, FieldText>;
  checks: FieldCheck[];
  attempted: boolean;
  onChange: (name: string, text: FieldText) => void;
}) {
  return (
    <fieldset className="tensor-fields">
      <legend>Inputs</legend>
      {inputs.map((info, i) => (
        <TensorField key={info.name} info={info} text={texts[info.name]!} check={checks[i]!} attempted={attempted} onChange={(text) => onChange(info.name, text)} />
      ))}
    </fieldset>
  );
}
