/** Keeps the lines that contain the term, case-insensitively; every line for an empty term. */
export function filterLines(lines: readonly string[], term: string): string[] {
  const t = term.trim().toLowerCase();
  return t ? lines.filter((l) => l.toLowerCase().includes(t)) : [...lines];
}

/** Splits a line into plain and matching parts, for highlighting each match. */
export function highlightParts(line: string, term: string): { text: string; match: boolean }[] {
  const t = term.trim().toLowerCase();
  if (!t) return [{ text: line, match: false }];
  const parts: { text: string; match: boolean }[] = [];
  const lower = line.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(t); i !== -1; i = lower.indexOf(t, at)) {
    if (i > at) parts.push({ text: line.slice(at, i), match: false });
    parts.push({ text: line.slice(i, i + t.length), match: true });
    at = i + t.length;
  }
  if (at < line.length) parts.push({ text: line.slice(at), match: false });
  return parts;
}

/** Appends lines, keeping only the newest `max` so a long follow cannot grow without bound. */
export function appendCapped(lines: readonly string[], more: readonly string[], max: number): string[] {
  const all = lines.length + more.length <= max ? [...lines, ...more] : [...lines, ...more].slice(-max);
  return all;
}
