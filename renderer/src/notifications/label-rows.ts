import { labelName } from '../../../electron/api/monitoring-contract';
import { labelValueSchema, MAX_PREVIEW_LABELS } from '../../../electron/api/notifications-contract';

/**
 * The routing preview's label rows: what the user types, and the label set it means. A row with
 * no value leaves its label out (Alertmanager treats an empty label as absent); every other
 * problem is named on its row, with the contract's own checks.
 */

export interface LabelRow {
  /** React's key: rows are added and removed in the middle. */
  id: number;
  name: string;
  value: string;
}

export type RowErrors = Record<number, { name?: string; value?: string }>;

let lastId = 0;
export const newRow = (name = '', value = ''): LabelRow => ({ id: ++lastId, name, value });

/** Rows for a label set, sorted by name; one empty row for none. */
export function rowsFromLabels(labels: Record<string, string>): LabelRow[] {
  const rows = Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => newRow(name, value));
  return rows.length ? rows : [newRow()];
}

export function labelsFromRows(rows: LabelRow[]): { labels: Record<string, string> } | { errors: RowErrors; message: string } {
  const labels: Record<string, string> = {};
  const errors: RowErrors = {};
  const fail = (id: number, field: 'name' | 'value', message: string) => (errors[id] = { ...errors[id], [field]: message });
  for (const row of rows) {
    const name = row.name.trim();
    if (!name) {
      if (row.value) fail(row.id, 'name', 'name the label');
      continue;
    }
    const checkedName = labelName.safeParse(name);
    if (!checkedName.success) fail(row.id, 'name', `${checkedName.error.issues[0]!.message}: letters, digits and _, not starting with a digit`);
    else if (Object.hasOwn(labels, name)) fail(row.id, 'name', 'this label is already set above');
    const checkedValue = labelValueSchema.safeParse(row.value);
    if (!checkedValue.success) fail(row.id, 'value', checkedValue.error.issues[0]!.message);
    if (row.value && !errors[row.id]) labels[name] = row.value;
  }
  const count = Object.keys(errors).length;
  if (count) return { errors, message: `${count} label row${count === 1 ? ' needs' : 's need'} attention.` };
  if (Object.keys(labels).length > MAX_PREVIEW_LABELS) return { errors, message: `An alert is previewed with at most ${MAX_PREVIEW_LABELS} labels.` };
  return { labels };
}
