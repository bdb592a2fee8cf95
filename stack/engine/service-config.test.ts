import Docker from 'dockerode';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSettings } from '../../electron/settings/settings-file';
import { buildStackSpec } from '../spec/stack-spec';
import { ServiceConfig } from './service-config';

describe('ServiceConfig.write', () => {
  let dataDir = '';
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it("makes Prometheus's file_sd folder even with no targets file yet, so a rig's file written after the start is watched", async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rx580-service-config-'));
    // No inference service here: no targets file is rendered, the rigs' come later from the fleet.
    const settings = parseSettings({ dataDir, inference: { enabled: false } });
    const stack = buildStackSpec(settings);
    const prometheus = stack.services.filter((s) => s.service === 'prometheus');
    // The engine is never asked: rendering needs none.
    await new ServiceConfig({ docker: new Docker({ socketPath: join(dataDir, 'no-engine.sock') }), settings }).write(stack, prometheus);
    expect(await readdir(join(prometheus[0]!.configDir!, 'targets'))).toEqual([]);
  });
});
