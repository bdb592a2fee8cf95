import { useMemo, useState } from 'react';
import type { RigStatus } from '../../../electron/api/schemas/rigs';
import { usePageActive } from '../shell/page-activity';
import { AddRigForm } from '../rigs/AddRigForm';
import { FleetStatus } from '../rigs/FleetStatus';
import { RigsTable } from '../rigs/RigsTable';
import { remoteRigs } from '../rigs/rig-view';
import { useFleetStatus, useRigList } from '../rigs/rigs-queries';
import '../rigs/rigs.css';

/**
 * The rigs: this machine and the Docker engines the console reaches over SSH or TLS, each
 * running inference workers. Add one (its connection tested first), test it, start and stop its
 * workers, remove it; the fleet's status is read every few seconds while the page shows.
 */
export function RigsPage() {
  const active = usePageActive();
  const list = useRigList();
  const rigs = list.data?.rigs ?? [];
  const others = remoteRigs(rigs);
  const status = useFleetStatus(active && others.length > 0);
  const [added, setAdded] = useState<string | null>(null);
  const statuses = useMemo(() => (status.data ? new Map<string, RigStatus>(status.data.rigs.map((r) => [r.name, r])) : null), [status.data]);

  return (
    <section aria-labelledby="rigs-title" className="rigs">
      <div className="toolbar">
        <h1 id="rigs-title">Rigs</h1>
      </div>
      <p className="muted">
        Docker engines that run inference workers: this machine, and others the console reaches over SSH or over TCP with TLS. Each rig&apos;s workers publish on its address with
        their own API key and certificate, and Prometheus scrapes them as one job per rig. <span className="mono">rx580-ops rig …</span> does the same from a terminal.
      </p>

      {list.isPending && <p className="muted">Loading the rigs…</p>}
      {list.isError && (
        <p className="error" role="alert" data-testid="rigs-error">
          The rigs could not be listed: {list.error.message}
        </p>
      )}
      {list.data && <RigsTable rigs={rigs} statuses={statuses} added={added} monitoring={list.data.monitoring} />}
      {list.data && others.length === 0 && (
        <p className="card muted" data-testid="rigs-empty">
          No rigs besides this machine yet: add one with the form below, giving its SSH URL (<span className="mono">ssh://user@host</span>) and a key, or a{' '}
          <span className="mono">tcp://</span> engine with its TLS certificates. The console tests the connection before it keeps anything.
        </p>
      )}

      {others.length > 0 && <FleetStatus status={status.data} error={status.error} fetching={status.isFetching} updatedAt={status.dataUpdatedAt} />}

      <AddRigForm onAdded={(rig) => setAdded(rig.name)} />
    </section>
  );
}
