import { randomUUID } from 'node:crypto';
import type { AlertmanagerClient } from '../clients/alertmanager-client';
import { TEST_LABEL, testReceiverName } from '../config/alertmanager-config';
import { ConsoleError } from '../console-error';
import { deliveryCounters, failureReason, redactSecrets, type DeliveryCounters } from './notification-delivery';
import type { NotificationSettings, NotificationTestResult, ReceiverKind, Severity } from './notification-settings';
import { secretValues } from './receiver-secrets';
import type { StackManager } from '../engine/stack-manager';

export const TEST_ALERT_NAME = 'RX580OpsTestNotification';
const LABELS: Record<ReceiverKind, string> = { slack: 'Slack', discord: 'Discord', email: 'E-mail', webhook: 'Webhook' };

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Proves a receiver works: posts a synthetic alert that routes only to this receiver's test
 * route, then reads from Alertmanager's own counters whether it tried to deliver it and whether
 * that failed, and from its log why.
 */
export class TestNotifier {
  constructor(
    private readonly client: AlertmanagerClient,
    private readonly stack: StackManager,
    /** How long a test waits for Alertmanager to attempt delivery. */
    private readonly timeoutMs: number,
  ) {}

  async send(settings: NotificationSettings, kind: ReceiverKind, severity: Severity): Promise<NotificationTestResult> {
    if (!settings.receivers[kind].enabled) {
      throw new ConsoleError('RECEIVER_OFF', `${LABELS[kind]} is switched off: switch it on and save before sending a test.`, 409);
    }
    await this.client.status();
    const before = await this.counters(kind);
    await this.postTestAlert(kind, severity);
    const result = (delivered: boolean, message: string) => ({ receiver: kind, severity, delivered, message });
    const deadline = Date.now() + this.timeoutMs;
    while (Date.now() < deadline) {
      await pause(300);
      let now = await this.counters(kind);
      if (now.requests > before.requests && now.failed === before.failed) {
        // The failure counter follows the request counter: look once more before calling it a success.
        await pause(300);
        now = await this.counters(kind);
      }
      if (now.failed > before.failed) {
        const reason = (await this.loggedFailure(kind)) ?? 'Alertmanager did not log a reason';
        return result(false, `${LABELS[kind]} did not accept the test notification: ${redactSecrets(reason, secretValues(settings))}`);
      }
      if (now.requests > before.requests) return result(true, `Alertmanager delivered the test notification to ${LABELS[kind]}.`);
    }
    return result(false, `Alertmanager did not try to send the test notification within ${Math.round(this.timeoutMs / 1000)} s.`);
  }

  private async postTestAlert(kind: ReceiverKind, severity: Severity): Promise<void> {
    const now = Date.now();
    const id = randomUUID().slice(0, 8);
    await this.client.postAlerts([
      {
        // A component of its own: a critical test must not inhibit the next warning test (equal: component).
        labels: { alertname: TEST_ALERT_NAME, severity, component: `console-test-${id}`, [TEST_LABEL]: kind, test_id: id },
        annotations: { summary: `Test notification from the RX580 Ops Console (${severity})`, description: `Sent to ${LABELS[kind]} to prove the receiver works.` },
        startsAt: new Date(now).toISOString(),
        // Ends by itself; the test receiver sends no "resolved" message.
        endsAt: new Date(now + 2 * 60_000).toISOString(),
      },
    ]);
  }

  private async counters(kind: ReceiverKind): Promise<DeliveryCounters> {
    return deliveryCounters(await this.client.metrics(), kind);
  }

  /** The log line may follow the counter by a moment: one more look before giving up on a reason. */
  private async loggedFailure(kind: ReceiverKind): Promise<string | null> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const lines = await this.stack.logs('alertmanager', 200).catch(() => []);
      const reason = failureReason(lines, testReceiverName(kind));
      if (reason) return reason;
      await pause(500);
    }
    return null;
  }
}
