import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { StoredRig } from '../../electron/api/schemas/rigs';
import { parseSettings } from '../../electron/settings/settings-file';
import { buildStackSpec } from '../spec/stack-spec';
import { prometheusConfigFiles } from './prometheus-config';
import { rigJobName, rigsScrapedBy } from './rig-scrape-jobs';

const rig = (name: string, address: string) => ({ name, address }) as StoredRig;

describe('which rigs a prometheus.yml scrapes', () => {
  const settings = parseSettings({ project: 'demo', nodeExporter: { enabled: false } });

  it('reads the rigs whose job the rendered config has, and none from a config without rigs', async () => {
    const spec = buildStackSpec(settings);
    const files = await prometheusConfigFiles(settings, spec, [rig('rig-a', '10.0.0.2'), rig('rig-b', '10.0.0.3')]);
    expect(rigsScrapedBy(files['prometheus.yml']!)).toEqual(['rig-a', 'rig-b']);
    expect(rigsScrapedBy((await prometheusConfigFiles(settings, spec))['prometheus.yml']!)).toEqual([]);
  });

  it('counts a job, not text that names one: a comment, a label value, a job of another name', () => {
    const yml = `# job_name: ${rigJobName('rig-c')}\n${stringify({
      scrape_configs: [
        { job_name: 'prometheus', static_configs: [{ targets: ['localhost:9090'], labels: { note: `job_name: ${rigJobName('rig-d')}` } }] },
        { job_name: `x${rigJobName('rig-e')}` },
        { job_name: rigJobName('rig-a') },
      ],
    })}`;
    expect(rigsScrapedBy(yml)).toEqual(['rig-a']);
  });

  it('reads none from a file that is empty, not YAML or has no scrape_configs list', () => {
    for (const yml of ['', 'scrape_configs: [', 'global: {}\n', 'scrape_configs: 3\n', 'scrape_configs: [null, 7]\n']) expect(rigsScrapedBy(yml)).toEqual([]);
  });
});
