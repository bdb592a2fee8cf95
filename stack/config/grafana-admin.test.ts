import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grafanaAdminPassword } from './grafana-admin';

describe('grafanaAdminPassword', () => {
  it('generates a strong password once, private to the user, and keeps it', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'rx580-grafana-')), 'secrets');
    const first = await grafanaAdminPassword(dir);
    expect(first).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(first).not.toBe('admin');
    expect(await grafanaAdminPassword(dir)).toBe(first);
    expect((await stat(join(dir, 'grafana-admin-password'))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('differs between stacks', async () => {
    const a = await grafanaAdminPassword(await mkdtemp(join(tmpdir(), 'rx580-grafana-')));
    const b = await grafanaAdminPassword(await mkdtemp(join(tmpdir(), 'rx580-grafana-')));
    expect(a).not.toBe(b);
  });
});
