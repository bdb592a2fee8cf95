import { EqlRegex, EqlSingle, Neq, NeqRegex } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { selectorFor } from './selector';

describe('selectorFor', () => {
  it('is the bare metric without matchers', () => {
    expect(selectorFor('up')).toBe('up');
  });
  it('keeps each operator, quotes values, and skips the label being completed and empty values', () => {
    const matchers = [
      { type: EqlSingle, name: 'job', value: 'inference' },
      { type: Neq, name: 'status', value: '200' },
      { type: EqlRegex, name: 'endpoint', value: '/pre.*"x' },
      { type: NeqRegex, name: 'method', value: 'GET' },
      { type: EqlSingle, name: 'model', value: 'resnet' },
      { type: EqlSingle, name: 'empty', value: '' },
    ];
    expect(selectorFor('api_requests_total', matchers, 'model')).toBe(
      'api_requests_total{job="inference",status!="200",endpoint=~"/pre.*\\"x",method!~"GET"}',
    );
  });
});
