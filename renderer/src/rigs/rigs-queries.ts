import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import type { RigAdd, RigFleetStatus } from '../../../electron/api/schemas/rigs';
import { useApi } from '../api/api-context';

export const rigsKey = ['rigs'] as const;
const listKey = [...rigsKey, 'list'] as const;
const statusKey = [...rigsKey, 'status'] as const;

/** How often the fleet's status is read while the page is on screen. */
export const STATUS_INTERVAL_MS = 3000;

export function useRigList() {
  const api = useApi();
  return useQuery({ queryKey: listKey, queryFn: () => api.call('rigs.list') });
}

/**
 * Every rig's workers, read again every few seconds while the page shows (an unreachable rig
 * answers within its timeout). One quick retry: a network change on this machine (a rig's link,
 * Docker making a bridge) makes Chromium abort a request in flight, which is no failure to show.
 */
export function useFleetStatus(active: boolean) {
  const api = useApi();
  return useQuery({ queryKey: statusKey, queryFn: () => api.call('rigs.status'), refetchInterval: active ? STATUS_INTERVAL_MS : false, retry: 1, retryDelay: 500 });
}

/** A rig's status from a start or stop's answer, merged into the fleet's. */
function merge(old: RigFleetStatus | undefined, fresh: RigFleetStatus): RigFleetStatus | undefined {
  if (!old) return fresh;
  return { rigs: old.rigs.map((r) => fresh.rigs.find((f) => f.name === r.name) ?? r) };
}

/**
 * Adds a rig. The input goes through a ref that is emptied as the call starts, not through the
 * mutation's variables, which TanStack Query keeps: no private key stays in the page after a submit.
 */
export function useAddRig() {
  const api = useApi();
  const queryClient = useQueryClient();
  const pending = useRef<RigAdd | null>(null);
  const mutation = useMutation({
    mutationFn: () => {
      const input = pending.current;
      pending.current = null;
      if (!input) throw new Error('Nothing to add.');
      return api.call('rigs.add', input);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: rigsKey }),
  });
  return {
    ...mutation,
    add(input: RigAdd) {
      pending.current = input;
      mutation.mutate();
    },
  };
}

export function useRemoveRig() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ name, force }: { name: string; force: boolean }) => api.call('rigs.remove', name, { force }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: rigsKey }),
  });
}

/** Tests a rig; its probe then shows in the list (the registry keeps the last one). */
export function useTestRig() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: (name: string) => api.call('rigs.test', name), onSettled: () => queryClient.invalidateQueries({ queryKey: listKey }) });
}

/** Starts or stops one rig's workers; its status comes back with the answer. */
export function useRigWorkers(action: 'rigs.up' | 'rigs.down') {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.call(action, name),
    onSuccess: (status) => queryClient.setQueryData<RigFleetStatus>(statusKey, (old) => merge(old, status)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: statusKey }),
  });
}

/** Starts or stops one worker of a rig; the rig's status comes back with the answer. */
export function useRigWorker(action: 'rigs.workerUp' | 'rigs.workerDown') {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ rig, worker }: { rig: string; worker: string }) => api.call(action, rig, worker),
    onSuccess: (status) => queryClient.setQueryData<RigFleetStatus>(statusKey, (old) => merge(old, status)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: statusKey }),
  });
}
