import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeWindow } from './testing/fake-ports';
import { trackWindowState, WindowStateStore } from './window-state';

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
const store = async () => {
  const file = join(await mkdtemp(join(tmpdir(), 'rx580-winstate-')), 'window-state.json');
  return { file, store: new WindowStateStore(file) };
};

describe('window state', () => {
  it('saves size, position and maximised state as the window changes, and loads them back', async () => {
    const { file, store: s } = await store();
    const win = new FakeWindow({ bounds: null, isAllowedExternal: () => false });
    const flush = trackWindowState(win, s, 10);
    win.resizeTo({ x: 200, y: 150, width: 1000, height: 700 });
    win.maximized = true;
    win.emit('maximize');
    await flush();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ x: 200, y: 150, width: 1000, height: 700, maximized: true });
    expect(await s.load(screen)).toEqual({ x: 200, y: 150, width: 1000, height: 700, maximized: true });
  });

  it('centres a window whose display is gone, keeping its size where it fits', async () => {
    const { file, store: s } = await store();
    await writeFile(file, JSON.stringify({ x: 3000, y: 200, width: 2400, height: 700, maximized: false }));
    expect(await s.load(screen)).toEqual({ x: 0, y: 190, width: 1920, height: 700, maximized: false });
  });

  it('falls back to defaults on a missing, broken or invalid file', async () => {
    const { file, store: s } = await store();
    expect(await s.load(screen)).toBeNull();
    await writeFile(file, '{ not json');
    expect(await s.load(screen)).toBeNull();
    await writeFile(file, JSON.stringify({ x: 0, y: 0, width: 10, height: 10, maximized: false }));
    expect(await s.load(screen)).toBeNull();
  });
});
