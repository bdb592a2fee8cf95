import { describe, expect, it } from 'vitest';
import { ALL, fillScope, labelMatcher, scoped, workersOf, WORKERS } from './scope';

/** What a `label=~"…"` matcher's regex accepts, as Prometheus anchors it. */
const accepts = (matcher: string, value: string) => new RegExp(`^(?:${JSON.parse(matcher.slice(matcher.indexOf('"')))})$`).test(value);

describe('labelMatcher', () => {
  it('is none for All, an equality for one value and an escaped alternation for several', () => {
    expect(labelMatcher('rig', [])).toBeNull();
    expect(labelMatcher('rig', ['local'])).toBe('rig="local"');
    expect(labelMatcher('rig', ['a', 'b'])).toBe('rig=~"a|b"');
  });

  it('escapes string and regex special characters, so each value matches only itself', () => {
    expect(labelMatcher('rig', ['say "hi"\\'])).toBe('rig="say \\"hi\\"\\\\"');
    const names = ['rig.1', 'a+b', 'x|y', '(c)', '[d]', 'e*', '^f$', 'g\\h', 'i"j'];
    const m = labelMatcher('rig', names)!;
    expect(m).toBe(String.raw`rig=~"rig\\.1|a\\+b|x\\|y|\\(c\\)|\\[d\\]|e\\*|\\^f\\$|g\\\\h|i\"j"`);
    for (const n of names) expect(accepts(m, n), n).toBe(true);
    for (const n of ['rigx1', 'aab', 'x', 'y', 'c', 'eee', 'f']) expect(accepts(m, n), n).toBe(false);
  });

  it("names a Grafana variable as a regex, which Grafana fills with its values' alternation", () => {
    expect(labelMatcher('card', { variable: 'gpu' })).toBe('card=~"$gpu"');
  });
});

describe('fillScope', () => {
  const q = `sum(rate(${scoped('api_requests_total', 'gpu', 'status=~"5.."')}[1m])) / sum(rate(${scoped('api_requests_total', 'gpu')}[1m]))`;

  it('leaves a template whole for All, without its placeholders or empty braces', () => {
    expect(fillScope(q, ALL)).toBe('sum(rate(api_requests_total{status=~"5.."}[1m])) / sum(rate(api_requests_total[1m]))');
  });

  it('puts the matchers inside every selector, after its own', () => {
    expect(fillScope(q, { rig: ['local'], gpu: [] })).toBe('sum(rate(api_requests_total{status=~"5..",rig="local"}[1m])) / sum(rate(api_requests_total{rig="local"}[1m]))');
    expect(fillScope(q, { rig: ['a', 'b'], gpu: ['card0'] })).toBe(
      'sum(rate(api_requests_total{status=~"5..",rig=~"a|b",gpu="card0"}[1m])) / sum(rate(api_requests_total{rig=~"a|b",gpu="card0"}[1m]))',
    );
  });

  it("maps the GPU to node_exporter's card, and leaves the host's own series to the rig alone", () => {
    const selection = { rig: ['local'], gpu: ['card1'] };
    expect(fillScope(scoped('node_drm_gpu_busy_percent', 'card'), selection)).toBe('node_drm_gpu_busy_percent{rig="local",card="card1"}');
    expect(fillScope(scoped('node_memory_MemTotal_bytes', null), selection)).toBe('node_memory_MemTotal_bytes{rig="local"}');
    expect(fillScope(scoped('node_memory_MemTotal_bytes', null), { rig: [], gpu: ['card1'] })).toBe('node_memory_MemTotal_bytes');
  });

  it("fills Grafana's variables", () => {
    expect(fillScope(q, { rig: { variable: 'rig' }, gpu: { variable: 'gpu' } })).toContain('api_requests_total{rig=~"$rig",gpu=~"$gpu"}');
  });

  it('lists the options from the workers of the chosen rigs', () => {
    expect(fillScope(WORKERS, ALL)).toBe('up{job="rx580-api"}');
    expect(workersOf(['local'])).toBe('up{job="rx580-api",rig="local"}');
    expect(workersOf({ variable: 'rig' })).toBe('up{job="rx580-api",rig=~"$rig"}');
  });
});
