import { useState } from 'react';
import type { RigStatus, RigView } from '../../../electron/api/schemas/rigs';
import { TableHead } from '../components/TableHead';
import { useNow } from '../components/use-now';
import { HostKey } from './HostKey';
import { RemoveDialog } from './RemoveDialog';
import { checkedAgo, gpusText, probeLine, urlText } from './rig-view';
import { useRemoveRig, useRigWorkers, useTestRig } from './rigs-queries';

interface Props {
  rigs: RigView[];
  /** Each rig's status by name, when the fleet's status has been read. */
  statuses: ReadonlyMap<string, RigStatus> | null;
  /** The rig just added: its row is marked. */
  added: string | null;
  /** The rig that runs the monitoring stack (`rigs.monitoring`). */
  monitoring: string;
}

/** Every rig, this machine's first: where it is, its pinned host key, its last test, and what to do with it. */
export function RigsTable({ rigs, statuses, added, monitoring }: Props) {
  const now = useNow(5000);
  return (
    <table className="table rigs-table" data-testid="rigs-table">
      <TableHead columns={['Rig', 'URL', 'Address', 'Host key', 'Last test', 'Actions']} />
      <tbody>
        {rigs.map((rig) => (
          <RigRow key={rig.name} rig={rig} status={statuses?.get(rig.name) ?? null} statusRead={statuses !== null} now={now} added={rig.name === added} runsStack={rig.name === monitoring} />
        ))}
      </tbody>
    </table>
  );
}

function RigRow({ rig, status, statusRead, now, added, runsStack }: { rig: RigView; status: RigStatus | null; statusRead: boolean; now: number; added: boolean; runsStack: boolean }) {
  const test = useTestRig();
  const up = useRigWorkers('rigs.up');
  const down = useRigWorkers('rigs.down');
  const remove = useRemoveRig();
  const [asking, setAsking] = useState(false);
  const probe = probeLine(rig.probe);
  const busy = test.isPending || up.isPending || down.isPending || remove.isPending;
  // A failed call of this row's (a start or stop names the rig's failure; a test's failure is its probe).
  const failed = [test.error, up.error, down.error].find((e) => e) ?? null;
  // Each action clears the row's earlier outcomes first, so the message shown is the last one's.
  const act = (m: { mutate: (name: string) => void }) => {
    for (const x of [test, up, down]) x.reset();
    m.mutate(rig.name);
  };
  const workers = statusRead ? (status?.reachable ? status.workers.length : null) : null;

  return (
    <tr data-testid={`rig-row-${rig.name}`} className={added ? 'rig-added' : undefined}>
      <th scope="row">
        {rig.name}
        {rig.local && <div className="muted small">this machine</div>}
        {runsStack && (
          <div className="rig-badge small" data-testid="rig-runs-stack">
            runs the monitoring stack
          </div>
        )}
      </th>
      <td className="mono" data-testid="rig-url">
        {urlText(rig)}
      </td>
      <td>
        <span className="mono">{rig.address}</span>
        <div className="muted small">GPUs: {gpusText(rig.gpus)}</div>
      </td>
      <td>{rig.local ? <span className="muted">—</span> : <HostKey value={rig.hostKey} testId={`rig-host-key-${rig.name}`} />}</td>
      <td data-testid="rig-probe">
        {rig.local ? (
          <span className="muted">The console&apos;s own engine: see the Overview page.</span>
        ) : (
          <>
            <span className={probe.ok === false ? 'bad' : probe.ok ? undefined : 'muted'} data-testid="rig-probe-text">
              {probe.text}
            </span>
            {rig.checkedAt !== null && <div className="muted small">{checkedAgo(rig.checkedAt, now)}</div>}
          </>
        )}
        {test.isPending && (
          <div className="muted small" role="status">
            Testing the connection…
          </div>
        )}
        {(up.isPending || down.isPending) && (
          <div className="muted small" role="status">
            {up.isPending ? 'Starting workers (the first start copies the inference image to the rig)…' : 'Stopping workers…'}
          </div>
        )}
        {failed && (
          <div className="bad small" role="alert" data-testid="rig-action-error">
            {failed.message}
          </div>
        )}
      </td>
      <td>
        {rig.local ? (
          <span className="muted small">Start and stop it on the Overview page.</span>
        ) : (
          <div className="actions rig-actions">
            <button type="button" disabled={busy} onClick={() => act(test)} data-testid={`rig-test-${rig.name}`} aria-label={`Test ${rig.name}`}>
              {test.isPending ? 'Testing…' : 'Test'}
            </button>
            <button type="button" disabled={busy} onClick={() => act(up)} data-testid={`rig-up-${rig.name}`} aria-label={`Start workers on ${rig.name}`}>
              Start workers
            </button>
            <button type="button" disabled={busy} onClick={() => act(down)} data-testid={`rig-down-${rig.name}`} aria-label={`Stop workers on ${rig.name}`}>
              Stop workers
            </button>
            <button
              type="button"
              disabled={busy || runsStack}
              title={runsStack ? 'It runs the monitoring stack: stop the stack and choose another rig in Settings first.' : undefined}
              onClick={() => {
                remove.reset();
                setAsking(true);
              }}
              data-testid={`rig-remove-${rig.name}`}
              aria-label={`Remove ${rig.name}`}
            >
              Remove
            </button>
          </div>
        )}
        {asking && (
          <RemoveDialog
            rig={rig}
            workers={workers}
            unreachable={status && !status.reachable ? (status.message ?? 'no answer') : null}
            removing={remove.isPending}
            error={remove.error?.message ?? null}
            onConfirm={(force) => remove.mutate({ name: rig.name, force }, { onSuccess: () => setAsking(false) })}
            onClose={() => setAsking(false)}
          />
        )}
      </td>
    </tr>
  );
}
