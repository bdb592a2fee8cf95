import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestService, type TestService } from '../../inference/testing/test-service';
import { ConsoleCore } from '../core/console-core';
import type { DetachedProcess } from '../process/detached-process';
import { parseSettings } from '../settings/settings-file';

export interface LoadtestFixture {
  svc: TestService;
  core: ConsoleCore;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * A ConsoleCore whose one inference worker, in host mode, is the real service started in this
 * process with the digits model loaded: the rig reports it running at the service's port. No
 * Docker engine is asked (the monitoring services are off, the engine address leads nowhere).
 */
export async function startLoadtestFixture(): Promise<LoadtestFixture> {
  const svc = await startTestService({ load: ['digits.onnx'] });
  const dataDir = await mkdtemp(join(tmpdir(), 'rx580-loadtest-'));
  const settings = parseSettings({
    project: 'loadtest',
    dataDir,
    prometheus: { enabled: false },
    alertmanager: { enabled: false },
    grafana: { enabled: false },
    inference: { runtime: 'host', port: svc.port, modelsDir: svc.modelsDir },
  });
  const host = {
    status: async () => ({ state: 'running', healthy: true, pid: process.pid, startedAt: new Date().toISOString(), logFile: '' }),
  } as unknown as DetachedProcess;
  const core = new ConsoleCore({ settings, settingsFile: '/dev/null', mode: 'web', gpus: [], hostInference: host, env: { DOCKER_HOST: 'unix:///tmp/rx580-loadtest-no-engine.sock' } });
  return {
    svc,
    core,
    dataDir,
    async stop() {
      core.close();
      await svc.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
