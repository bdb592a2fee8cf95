import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestService } from '../../inference/testing/test-service';
import { ConsoleCore } from '../core/console-core';
import type { DetachedProcess } from '../process/detached-process';
import { parseSettings } from '../settings/settings-file';

/** The inference service the fixture's worker is: where it listens and the models it reads. */
export interface FixtureService {
  url: string;
  port: number;
  modelsDir: string;
}

export interface LoadtestFixture {
  svc: FixtureService;
  core: ConsoleCore;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * A ConsoleCore whose one inference worker, in host mode, is the real service with the digits
 * model loaded: the rig reports it running at the service's port. The service is started in this
 * process, or is one given (a separate process, which the caller owns and stops). No Docker
 * engine is asked (the monitoring services are off, the engine address leads nowhere).
 */
export async function startLoadtestFixture(external?: FixtureService): Promise<LoadtestFixture> {
  const own = external ? null : await startTestService({ load: ['digits.onnx'] });
  const svc = external ?? own!;
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
      await own?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
