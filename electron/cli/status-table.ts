import type { StackStatus } from '../api/schemas/stack-status';

/** Rows of cells as lines whose columns line up, two spaces apart. */
export function alignColumns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

/** A plain-text table of the stack for terminals; `--json` is the machine form. */
export function formatStatusTable(status: StackStatus): string {
  const lines: string[] = [];
  lines.push(
    status.engine.reachable
      ? `Docker engine ${status.engine.version} at ${status.engine.endpoint} · project ${status.project}`
      : `Docker engine: ${status.engine.message}`,
  );
  const rows = [
    ['SERVICE', 'STATE', 'HEALTH', 'PORT', 'IMAGE'],
    ...status.services.map((s) => [
      s.name,
      s.enabled ? s.state : 'disabled',
      s.enabled ? s.health : '-',
      s.port === null ? 'stack network' : `127.0.0.1:${s.port}`,
      s.image,
    ]),
  ];
  lines.push(...alignColumns(rows));
  if (status.lastError) lines.push(`Last error: ${status.lastError}`);
  return lines.join('\n');
}
