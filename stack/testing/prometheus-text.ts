/**
 * The Prometheus text exposition format, as much of it as node_exporter writes: enough for a test
 * to read an exporter's /metrics and pick samples by name and labels.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const pair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/y;
  while (pair.lastIndex < text.length) {
    const m = pair.exec(text);
    if (!m) throw new Error(`unparsable labels: {${text}}`);
    labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** Every sample of a /metrics body; comments (HELP, TYPE) are skipped. */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/.exec(line);
    if (!m) throw new Error(`unparsable sample line: ${line}`);
    samples.push({ name: m[1]!, labels: m[2] ? parseLabels(m[2]) : {}, value: parseValue(m[3]!) });
  }
  return samples;
}

/** The samples of a metric whose labels include the given ones. */
export function select(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The value of the one sample of a metric with exactly these labels; throws when there are more. */
export function valueOf(samples: Sample[], name: string, labels: Record<string, string>): number | undefined {
  const key = (l: Record<string, string>) => JSON.stringify(Object.entries(l).sort());
  const found = samples.filter((s) => s.name === name && key(s.labels) === key(labels));
  if (found.length > 1) throw new Error(`${name}${JSON.stringify(labels)} appears ${found.length} times`);
  return found[0]?.value;
}
