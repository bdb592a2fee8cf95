import { describe, expect, it } from 'vitest';
import { routeLabelsSchema } from '../../../electron/api/notifications-contract';
import { labelsFromRows, newRow, rowsFromLabels } from './label-rows';

const plain = (rows: { name: string; value: string }[]) => rows.map(({ name, value }) => ({ name, value }));

describe('label rows', () => {
  it('round-trip a label set, sorted by name, and start with one empty row for none', () => {
    const rows = rowsFromLabels({ severity: 'critical', alertname: 'APIDown' });
    expect(plain(rows)).toEqual([
      { name: 'alertname', value: 'APIDown' },
      { name: 'severity', value: 'critical' },
    ]);
    expect(new Set(rows.map((r) => r.id)).size).toBe(2);
    expect(labelsFromRows(rows)).toEqual({ labels: { alertname: 'APIDown', severity: 'critical' } });
    expect(plain(rowsFromLabels({}))).toEqual([{ name: '', value: '' }]);
  });

  it('trims names, keeps values as typed, skips empty rows and leaves out labels without a value', () => {
    const result = labelsFromRows([newRow(' team ', ' db '), newRow(), newRow('env', '')]);
    expect(result).toEqual({ labels: { team: ' db ' } });
    expect(routeLabelsSchema.safeParse((result as { labels: Record<string, string> }).labels).success).toBe(true);
  });

  it('names each problem on its row, as the contract would refuse it', () => {
    const rows = [newRow('bad-name', 'x'), newRow('', 'orphan'), newRow('a', '1'), newRow('a', '2'), newRow('long', 'x'.repeat(1001))];
    const result = labelsFromRows(rows);
    expect(result).toMatchObject({ message: '4 label rows need attention.' });
    const errors = (result as { errors: Record<number, { name?: string; value?: string }> }).errors;
    expect(errors[rows[0]!.id]!.name).toMatch(/not a valid label name/);
    expect(errors[rows[1]!.id]!.name).toBe('name the label');
    expect(errors[rows[2]!.id]).toBeUndefined();
    expect(errors[rows[3]!.id]!.name).toMatch(/already set/);
    expect(errors[rows[4]!.id]!.value).toMatch(/at most 1000 characters/);
  });

  it('refuses more labels than the preview takes', () => {
    const rows = Array.from({ length: 31 }, (_, i) => newRow(`l${i}`, 'v'));
    expect(labelsFromRows(rows)).toMatchObject({ errors: {}, message: 'An alert is previewed with at most 30 labels.' });
  });
});
