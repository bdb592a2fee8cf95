import { describe, expect, it } from 'vitest';
import { deliveryCounters, failureReason, redactSecrets } from './notification-delivery';

describe('notification delivery', () => {
  it('sums attempts and failures of one integration, whatever other labels newer versions add', () => {
    const metrics = [
      'alertmanager_notification_requests_total{integration="slack"} 3',
      'alertmanager_notification_requests_total{integration="discord"} 7',
      'alertmanager_notification_requests_failed_total{integration="slack",reason="clientError"} 1',
      'alertmanager_notification_requests_failed_total{integration="slack",reason="serverError"} 1',
      'alertmanager_notification_requests_failed_total{integration="slackish"} 9',
    ].join('\n');
    expect(deliveryCounters(metrics, 'slack')).toEqual({ requests: 3, failed: 2 });
    expect(deliveryCounters(metrics, 'discord')).toEqual({ requests: 7, failed: 0 });
  });

  it("takes the receiver's last error from Alertmanager's log", () => {
    const lines = [
      'level=error component=dispatcher msg="Notify for alerts failed" num_alerts=1 err="warning/slack[0]: other"',
      'level=error component=dispatcher msg="Notify for alerts failed" num_alerts=1 err="console-test-slack/slack[0]: notify retry canceled due to unrecoverable error after 1 attempts: channel \\"#ops\\": unexpected status code 404"',
    ];
    expect(failureReason(lines, 'console-test-slack')).toBe('console-test-slack/slack[0]: notify retry canceled due to unrecoverable error after 1 attempts: channel "#ops": unexpected status code 404');
    expect(failureReason(lines, 'console-test-discord')).toBeNull();
  });

  it('redacts every secret value from a message', () => {
    expect(redactSecrets('Post "https://x/api/webhooks/1/TOKEN": refused', ['https://x/api/webhooks/1/TOKEN'])).toBe('Post "<secret>": refused');
  });
});
