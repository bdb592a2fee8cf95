import { describe, expect, it } from 'vitest';
import { createSilenceSchema } from '../../../electron/api/monitoring-contract';
import { describeMatchers, silenceForAlert, SILENCE_DURATIONS } from './silence-form';

describe('silenceForAlert', () => {
  it('matches every label of the alert exactly, and passes the contract', () => {
    const s = silenceForAlert({ severity: 'warning', alertname: 'HighLatency' }, 3600, '  deploying  ');
    expect(s).toEqual({
      matchers: [
        { name: 'alertname', value: 'HighLatency', isRegex: false, isEqual: true },
        { name: 'severity', value: 'warning', isRegex: false, isEqual: true },
      ],
      durationSeconds: 3600,
      comment: 'deploying',
    });
    expect(createSilenceSchema.safeParse(s).success).toBe(true);
  });

  it('offers only durations the contract accepts', () => {
    for (const d of SILENCE_DURATIONS) expect(createSilenceSchema.safeParse(silenceForAlert({ a: 'b' }, d.seconds, 'x')).success, d.label).toBe(true);
  });
});

describe('describeMatchers', () => {
  it('writes each operator', () => {
    expect(
      describeMatchers([
        { name: 'a', value: '1', isRegex: false, isEqual: true },
        { name: 'b', value: '2', isRegex: false, isEqual: false },
        { name: 'c', value: '3.*', isRegex: true, isEqual: true },
        { name: 'd', value: '4', isRegex: true, isEqual: false },
      ]),
    ).toBe('a="1", b!="2", c=~"3.*", d!~"4"');
  });
});
