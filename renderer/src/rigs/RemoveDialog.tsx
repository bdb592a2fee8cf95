import { useEffect, useRef } from 'react';
import type { RigView } from '../../../electron/api/schemas/rigs';
import { removalItems } from './rig-view';

interface Props {
  rig: RigView;
  /** The rig's workers as its status lists them; null when its status could not be read. */
  workers: number | null;
  /** Why the rig cannot be reached now, if it cannot: removing it is then refused. */
  unreachable: string | null;
  removing: boolean;
  error: string | null;
  /** `force`: remove it although it cannot be reached, its workers left running there. */
  onConfirm: (force: boolean) => void;
  onClose: () => void;
}

/** Asks before a rig goes, naming everything that goes with it; Escape or Cancel keeps it. */
export function RemoveDialog({ rig, workers, unreachable, removing, error, onConfirm, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  const titleId = `remove-${rig.name}-title`;
  return (
    <dialog
      ref={ref}
      className="rig-dialog"
      aria-labelledby={titleId}
      data-testid="rig-remove-dialog"
      onCancel={(e) => {
        e.preventDefault();
        if (!removing) onClose();
      }}
    >
      <h2 id={titleId}>Remove rig {rig.name}?</h2>
      <p>This removes:</p>
      <ul data-testid="rig-remove-items">
        {removalItems(rig, workers).map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
      <p className="muted">The machine and its Docker engine stay as they are: you can add the rig again at any time.</p>
      {unreachable && (
        <p className="bad" data-testid="rig-remove-unreachable">
          The rig cannot be reached now ({unreachable}): the console removes a rig only after its workers, so it will refuse until the rig is back.
          If the rig is gone for good, remove it anyway: whatever still runs there stays there.
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="rig-remove-error">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" className="primary" disabled={removing} onClick={() => onConfirm(false)} data-testid="rig-remove-confirm">
          {removing ? 'Removing…' : `Remove ${rig.name}`}
        </button>
        {unreachable && (
          <button type="button" disabled={removing} onClick={() => onConfirm(true)} data-testid="rig-remove-force">
            Remove anyway
          </button>
        )}
        <button type="button" autoFocus disabled={removing} onClick={onClose}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
