import { useId } from 'react';
import type { TensorInfo } from '../../../electron/api/inference-contract';
import { tensorSignature } from '../components/tensor-signature';

/** The outputs a run answers with, one checkbox each; the service computes only these. */
export function OutputPicker({ outputs, chosen, onChange }: { outputs: TensorInfo[]; chosen: ReadonlySet<string>; onChange: (chosen: Set<string>) => void }) {
  const errorId = useId();
  const none = chosen.size === 0;
  const toggle = (name: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(name);
    else next.delete(name);
    onChange(next);
  };
  return (
    <fieldset className="output-picker" aria-describedby={none ? errorId : undefined}>
      <legend>Outputs</legend>
      {outputs.map((o) => (
        <label key={o.name} className="mono">
          <input type="checkbox" name="outputs" value={o.name} checked={chosen.has(o.name)} onChange={(e) => toggle(o.name, e.target.checked)} data-testid={`pick-${o.name}`} />{' '}
          {tensorSignature(o)}
        </label>
      ))}
      <p className="field-error" id={errorId} aria-live="polite">
        {none ? 'Pick at least one output.' : ''}
      </p>
    </fieldset>
  );
}
