import Docker from 'dockerode';
import { Agent, type ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import { ConsoleError } from '../console-error';
import type { RemoteStackHost } from '../engine/stack-options';
import { PortTunnel } from './port-tunnel';
import type { RigRegistry } from './rig-registry';
import type { SshEngineAgent } from './ssh-engine-agent';

/** Sends each Docker request over the rig's kept SSH connection, found when the first request goes. */
class RigDockerAgent extends Agent {
  constructor(private readonly ssh: () => Promise<SshEngineAgent>) {
    super({ keepAlive: false });
  }

  override createConnection(options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | undefined {
    this.ssh().then(
      (agent) => agent.createConnection(options, callback),
      (err: Error) => callback?.(err, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

export interface RigStackHost {
  /** The rig's engine, for the stack's containers, volumes and network. */
  docker: Docker;
  remote: RemoteStackHost;
  /** This machine's loopback ports the tunnel holds (the stack's published ports). */
  ports: number[];
  /** Ends the console's tunnel; the stack on the rig runs on. */
  close(): Promise<void>;
}

/**
 * The monitoring stack on a rig (`rigs.monitoring`): its engine over the rig's SSH connection,
 * and the stack's published ports (on the rig's loopback only) carried to this machine's
 * loopback through the same connection. The rig is looked up when first used, so a console
 * whose stack rig is missing or down starts and says so in the stack's status.
 */
export function rigStackHost(o: { registry: RigRegistry; rig: string; local: Docker; ports: number[] }): RigStackHost {
  const ssh = async () => {
    const engine = await o.registry.engine(o.rig);
    if (!engine.ssh) {
      throw new ConsoleError(
        'RIG_NOT_SSH',
        `Rig ${o.rig} is reached over TCP, and the monitoring stack runs only on a rig reached over SSH, whose connection carries the console to the stack's ports. Add the rig by ssh://, or set rigs.monitoring to another rig.`,
        409,
      );
    }
    return engine.ssh;
  };
  const tunnel = new PortTunnel(async (port) => (await ssh()).forward(port), o.ports);
  const docker = new Docker({ protocol: 'http', host: `rig-${o.rig}`, port: 2375, agent: new RigDockerAgent(ssh) } as Docker.DockerOptions);
  return {
    docker,
    ports: o.ports,
    remote: {
      local: o.local,
      endpoint: `rig ${o.rig}`,
      reach: async () => {
        await ssh();
        await tunnel.open();
      },
    },
    close: () => tunnel.close(),
  };
}
