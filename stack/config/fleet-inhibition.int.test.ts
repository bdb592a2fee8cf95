import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertmanagerClient } from '../clients/alertmanager-client';
import { alertmanagerAlone } from '../testing/alertmanager-alone';

// The console's inhibit rules as a real Alertmanager (test image) applies them: a down rig pages
// once, and another rig's alerts still page.
describe('fleet inhibition', () => {
  let client: AlertmanagerClient;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ client, stop } = await alertmanagerAlone('inhibit'));
  }, 120_000);

  afterAll(() => stop?.());

  const worker = (rig: string, gpu: string) => ({ job: 'rx580-api', instance: `${rig}-${gpu}:8000`, service: 'inference', rig, gpu });
  const alert = (alertname: string, severity: string, component: string, labels: Record<string, string>) => ({
    labels: { alertname, severity, component, ...labels },
    annotations: { summary: alertname },
  });
  const states = async () =>
    Object.fromEntries(
      (await client.alerts()).map((a) => [`${a.labels.alertname} ${a.labels.rig ?? ''} ${a.labels.gpu ?? ''}`.trim(), a.status.state]),
    );

  it('holds a down rig\'s WorkerDown, ContainerDown and PrometheusTargetDown behind its RigDown, and not another rig\'s', async () => {
    await client.postAlerts([
      alert('RigDown', 'critical', 'rig', { rig: 'b' }),
      alert('WorkerDown', 'warning', 'inference', worker('b', 'card0')),
      alert('WorkerDown', 'warning', 'inference', worker('b', 'card1')),
      alert('PrometheusTargetDown', 'warning', 'prometheus', worker('b', 'card1')),
      alert('WorkerDown', 'warning', 'inference', worker('a', 'card0')),
    ]);
    await expect.poll(states, { timeout: 10_000 }).toEqual({
      'RigDown b': 'active',
      'WorkerDown b card0': 'suppressed',
      'WorkerDown b card1': 'suppressed',
      'PrometheusTargetDown b card1': 'suppressed',
      'WorkerDown a card0': 'active',
    });
    // The other rig's worker down is one page, not two: WorkerDown holds its PrometheusTargetDown.
    await client.postAlerts([alert('PrometheusTargetDown', 'warning', 'prometheus', worker('a', 'card0'))]);
    await expect.poll(async () => (await states())['PrometheusTargetDown a card0'], { timeout: 10_000 }).toBe('suppressed');
  });
});
