import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../electron/settings/settings-file';
import { inferenceTargetsFile } from '../config/prometheus-config';
import { buildStackSpec, LABEL_SERVICE, LABEL_WORKER } from '../spec/stack-spec';
import { stoppedWorkers, workerSpec } from './worker-control';

const container = (service: string, worker: string | null, State: string) => ({ Labels: { [LABEL_SERVICE]: service, ...(worker ? { [LABEL_WORKER]: worker } : {}) }, State }) as unknown as Docker.ContainerInfo;

describe("this machine's workers, one at a time", () => {
  const settings = parseSettings({ project: 'demo', inference: { cpuWorkers: 2 }, nodeExporter: { enabled: false } });
  const spec = buildStackSpec(settings);

  it('counts an exited inference worker as stopped on purpose, and nothing else', () => {
    const stopped = stoppedWorkers([container('inference', 'cpu0', 'running'), container('inference', 'cpu1', 'exited'), container('prometheus', null, 'exited'), container('inference', 'cpu2', 'restarting')]);
    expect([...stopped]).toEqual(['cpu1']);
    // The single CPU worker is `cpu`, labelled or not.
    expect([...stoppedWorkers([container('inference', null, 'exited')])]).toEqual(['cpu']);
  });

  it('leaves a stopped worker out of the targets file, and keeps the others', () => {
    const targets = (stopped: string[]) => JSON.parse(inferenceTargetsFile(settings, spec, new Set(stopped))).map((g: { labels: { gpu: string } }) => g.labels.gpu);
    expect(targets([])).toEqual(['cpu0', 'cpu1']);
    expect(targets(['cpu1'])).toEqual(['cpu0']);
    expect(targets(['cpu0', 'cpu1'])).toEqual([]);
  });

  it('finds a worker by its name, or says which workers there are', () => {
    expect(workerSpec(spec.services, 'cpu1').id).toBe('inference-cpu1');
    expect(() => workerSpec(spec.services, 'card3')).toThrow('This machine has no worker card3: its workers are cpu0, cpu1.');
    const off = buildStackSpec(parseSettings({ project: 'demo', inference: { enabled: false } }));
    expect(() => workerSpec(off.services, 'cpu')).toThrow(/no worker cpu: it runs no inference worker/);
  });
});
