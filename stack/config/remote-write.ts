import { ConsoleError } from '../console-error';
import { REMOTE_WRITE_SECRET_ENV, REMOTE_WRITE_TARGETS, type Settings } from '../../electron/api/schemas/settings';
import { SECRETS_TARGET } from '../spec/service-spec';

/** The password or token's file in Prometheus's secrets volume. */
export const REMOTE_WRITE_SECRET_FILE = 'remote-write-secret';

/**
 * The same queue on Prometheus 2.x and 3.x, whose defaults differ (2.x: 500 samples a request
 * from up to 200 shards): 3.x's batches, and at most 10 connections, plenty for one rig's few
 * hundred samples a second, so a fleet's rigs do not open 50 each to one store.
 */
export const QUEUE_CONFIG = {
  capacity: 10_000,
  min_shards: 1,
  max_shards: 10,
  max_samples_per_send: 2000,
  batch_send_deadline: '5s',
  min_backoff: '30ms',
  max_backoff: '5s',
} as const;

/**
 * prometheus.yml's `remote_write`, to spread into it: nothing when switched off. The URL is the
 * settings' (validated there: path present, no credentials); the tenant goes in the kind's
 * header; a password or token only as a file in the secrets volume, never inline.
 */
export function remoteWriteSection(settings: Settings): { remote_write?: object[] } {
  const rw = settings.prometheus.remoteWrite;
  if (!rw.enabled) return {};
  const { tenantHeader } = REMOTE_WRITE_TARGETS[rw.kind];
  const secretFile = `${SECRETS_TARGET}/${REMOTE_WRITE_SECRET_FILE}`;
  return {
    remote_write: [
      {
        // Prometheus's remote storage metrics carry it as `remote_name`.
        name: rw.kind,
        url: rw.url,
        ...(rw.tenant && tenantHeader ? { headers: { [tenantHeader]: rw.tenant } } : {}),
        ...(rw.auth === 'basic' ? { basic_auth: { username: rw.username, password_file: secretFile } } : {}),
        ...(rw.auth === 'bearer' ? { authorization: { type: 'Bearer', credentials_file: secretFile } } : {}),
        queue_config: QUEUE_CONFIG,
      },
    ],
  };
}

/**
 * The secret file Prometheus's secrets volume gets, from REMOTE_WRITE_SECRET_ENV; none when no
 * auth is set. Needed but missing fails before anything starts, naming the variable.
 */
export function remoteWriteSecrets(settings: Settings, env: NodeJS.ProcessEnv): { name: string; content: string }[] {
  const { enabled, auth } = settings.prometheus.remoteWrite;
  if (!enabled || auth === 'none') return [];
  const value = env[REMOTE_WRITE_SECRET_ENV]?.trim();
  if (!value) {
    const what = auth === 'basic' ? 'password' : 'bearer token';
    throw new ConsoleError(
      'REMOTE_WRITE_SECRET_MISSING',
      `prometheus.remoteWrite.auth is ${auth}, so Prometheus needs the ${what}: set ${REMOTE_WRITE_SECRET_ENV} in the console's environment (it is never kept in the settings file).`,
      400,
    );
  }
  return [{ name: REMOTE_WRITE_SECRET_FILE, content: value }];
}
