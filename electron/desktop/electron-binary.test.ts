import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from './electron-binary';

describe('findElectronBinary', () => {
  it('reports a missing binary with a reason instead of downloading it', () => {
    const result = findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/electron-dist' });
    expect(result).toEqual({ found: false, reason: expect.stringMatching(/^no Electron binary at \/nonexistent\/electron-dist\//) });
  });

  it('finds a binary under ELECTRON_OVERRIDE_DIST_PATH', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'electron-dist-'));
    await writeFile(join(dir, 'electron'), '');
    expect(findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: dir })).toEqual({ found: true, path: join(dir, 'electron') });
  });
});
