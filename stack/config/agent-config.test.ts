import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { agentCommand, renderAgentConfig } from './agent-config';
import { prometheusConfigFiles, renderPrometheusConfig } from './prometheus-config';
import { parseSettings } from '../../electron/settings/settings-file';
import { buildStackSpec } from '../spec/stack-spec';
import { promtool, writeConfigTree } from '../testing/promtool';

// The agent-per-rig layout, rendered and checked by the real promtool in agent mode (Debian's 2.42).
const settings = parseSettings({
  prometheus: { remoteWrite: { enabled: true, kind: 'mimir', url: 'http://mimir.example.net:9009/api/v1/push', tenant: 'fleet', auth: 'basic', username: 'rigs' } },
});

/** The stack's files with the agent's prometheus.yml in place of the central one. */
async function agentTree(yml: string): Promise<string> {
  return writeConfigTree({ ...(await prometheusConfigFiles(settings, buildStackSpec(settings))), 'prometheus.yml': yml });
}

describe('Prometheus agent per rig', () => {
  it('scrapes the rig\'s own jobs, evaluates nothing, and names the rig on every series it writes', () => {
    const central = parse(renderPrometheusConfig(settings));
    const agent = parse(renderAgentConfig(settings, 'rig-b'));
    expect(agent.rule_files).toBeUndefined();
    expect(agent.alerting).toBeUndefined();
    expect(agent.global).toEqual({ scrape_interval: '15s', external_labels: { rig: 'rig-b' } });
    expect(agent.scrape_configs).toEqual(central.scrape_configs);
    // The rig's targets say rig="local" (each rig is local to itself); the store sees its name.
    expect(agent.remote_write).toEqual([{ ...central.remote_write[0], write_relabel_configs: [{ source_labels: ['rig'], regex: 'local', target_label: 'rig', replacement: 'rig-b' }] }]);
  });

  it('passes promtool check config --agent, which refuses the central config with its rules and alerting', async () => {
    const agent = await promtool(['check', 'config', '--agent', 'prometheus.yml'], await agentTree(renderAgentConfig(settings, 'rig-b')));
    expect(agent.output).toContain('SUCCESS');
    expect(agent.code).toBe(0);
    const central = await promtool(['check', 'config', '--agent', 'prometheus.yml'], await agentTree(renderPrometheusConfig(settings)));
    expect(central.output).toMatch(/field (rule_files|alerting) is not allowed in agent mode/);
    expect(central.code).not.toBe(0);
  });

  it.each([
    ['v3.5.0', '--agent'],
    ['3.0.0', '--agent'],
    ['v2.53.1', '--enable-feature=agent'],
    ['2.42.0', '--enable-feature=agent'],
    [null, '--agent'],
    ['latest', '--agent'],
  ])('starts Prometheus %s in agent mode with %s, its WAL in the data path', (version, flag) => {
    expect(agentCommand(version)).toEqual(['--config.file=/etc/prometheus/prometheus.yml', '--storage.agent.path=/prometheus', '--web.enable-lifecycle', flag]);
  });

  it('refuses an agent with nowhere to write, or a rig name that is no plain label', () => {
    expect(() => renderAgentConfig(parseSettings({}), 'rig-b')).toThrow('An agent keeps no storage to query: enable prometheus.remoteWrite');
    expect(() => renderAgentConfig(settings, 'local')).toThrow('"local" cannot name a rig\'s agent');
    expect(() => renderAgentConfig(settings, 'Rig B')).toThrow('lowercase letters, digits and dashes');
  });
});
