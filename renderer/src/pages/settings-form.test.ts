import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../../electron/api/schemas/settings';
import { fieldMessages, moveProvider, numberFrom, toggleProvider, valueAt, withValue } from './settings-form';

describe('settings form helpers', () => {
  it('maps API issues to fields, for update (0.-prefixed) and import paths, list items to their list', () => {
    expect(
      fieldMessages([
        { path: '0.prometheus.port', message: 'Too big' },
        { path: '0.inference.providers.1', message: 'Invalid option' },
        { path: 'desktop.onQuit', message: 'Invalid option' },
        { path: '', message: 'Not an object' },
      ]),
    ).toEqual({ 'prometheus.port': 'Too big', 'inference.providers': 'Invalid option', 'desktop.onQuit': 'Invalid option', '(form)': 'Not an object' });
  });

  it('edits a copy at a dotted path', () => {
    const s = settingsSchema.parse({ dataDir: '/data', inference: { runtime: 'container' } });
    const next = withValue(s, 'alerts.errorRateWarning', 0.02);
    expect(valueAt(next, 'alerts.errorRateWarning')).toBe(0.02);
    expect(s.alerts.errorRateWarning).toBe(0.05);
  });

  it('reorders and toggles providers', () => {
    expect(moveProvider(['webgpu', 'cpu'], 1, -1)).toEqual(['cpu', 'webgpu']);
    expect(moveProvider(['webgpu', 'cpu'], 0, -1)).toEqual(['webgpu', 'cpu']);
    expect(toggleProvider(['webgpu', 'cpu'], 'dml')).toEqual(['webgpu', 'cpu', 'dml']);
    expect(toggleProvider(['webgpu', 'cpu'], 'webgpu')).toEqual(['cpu']);
  });

  it('keeps text that is not a number, so the API can say what is wrong', () => {
    expect(numberFrom('9090')).toBe(9090);
    expect(numberFrom('0.05')).toBe(0.05);
    expect(numberFrom('')).toBe('');
    expect(numberFrom('ninety')).toBe('ninety');
  });
});
