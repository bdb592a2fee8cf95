import { describe, expect, it } from 'vitest';
import { checkForm, fieldMessages, initialForm, parseLoads } from './spec-form';

const form = (over: Partial<ReturnType<typeof initialForm>> = {}) => ({ ...initialForm('digits'), ...over });

describe('load test form', () => {
  it('sends the spec the form describes, numbers as numbers', () => {
    expect(checkForm(form({ loads: '1, 2 4', amount: '1', warmup: '1' }))).toEqual({
      spec: { mode: 'closed', concurrency: [1, 2, 4], model: 'digits', target: 'all', duration: 1, warmup: 1, input: { kind: 'sample' }, protocol: 'json' },
    });
    expect(checkForm(form({ mode: 'open', loads: '50,100', per: 'requests', amount: '500', input: 'file', file: ' x.json ', protocol: 'v2' }))).toMatchObject({
      spec: { mode: 'open', rate: [50, 100], requests: 500, input: { kind: 'file', path: 'x.json' }, protocol: 'v2' },
    });
  });

  it('names text that is no number before the schema sees it', () => {
    expect(parseLoads('1, two')).toBe('"two" is not a number');
    expect(checkForm(form({ loads: '1, two', warmup: 'soon' }))).toEqual({ errors: { loads: '"two" is not a number', warmup: '"soon" is not a number' } });
  });

  it("gives the schema's caps and messages beside each field, a list item by its step", () => {
    expect(checkForm(form({ loads: '1, 999' })).errors).toEqual({ loads: 'step 2: concurrency must be at most 256' });
    expect(checkForm(form({ mode: 'open', loads: '9000' })).errors).toEqual({ loads: 'step 1: rate must be at most 5000' });
    expect(checkForm(form({ loads: '' })).errors).toEqual({ loads: 'give at least one concurrency' });
    expect(checkForm(form({ amount: '' })).errors).toEqual({ amount: 'give a duration (s) or a request count per step' });
    expect(checkForm(form({ amount: '1.5', warmup: '61' })).errors).toEqual({ amount: 'duration must be a whole number', warmup: 'warmup must be at most 60' });
    expect(checkForm(form({ loads: '1,2,3,4', amount: '300' })).errors?.amount).toMatch(/beyond the cap of 900 s/);
    expect(checkForm(form({ loads: '8', per: 'requests', amount: '4' })).errors).toEqual({ amount: 'a step of concurrency 8 needs at least as many requests' });
    expect(checkForm(form({ model: '' })).errors).toEqual({ model: 'name a loaded model' });
    expect(checkForm(form({ input: 'file', file: ' ' })).errors).toEqual({ input: 'name a file in the models folder' });
  });

  it("maps the API's issues to fields: the contract's 0.-prefixed paths and the engine's own", () => {
    expect(
      fieldMessages([
        { path: '0.concurrency.1', message: 'concurrency must be at least 1' },
        { path: 'target', message: '"gpu9" is not one of the workers' },
        { path: 'requests', message: 'too few' },
        { path: 'baseline', message: 'not comparable' },
        { path: '0.input.path', message: 'too long' },
        { path: '', message: 'not an object' },
      ]),
    ).toEqual({ loads: 'step 2: concurrency must be at least 1', target: '"gpu9" is not one of the workers', amount: 'too few', baseline: 'not comparable', input: 'too long', form: 'not an object' });
  });
});
