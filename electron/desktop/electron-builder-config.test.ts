import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { appRoot } from '../core/app-root';
import { trayIconPath } from './tray-controller';

const ROOT = appRoot();

describe('electron-builder.yml', () => {
  it('builds AppImage and deb, NSIS and dmg, with an icon that exists and is large enough', async () => {
    const config = parse(await readFile(join(ROOT, 'electron-builder.yml'), 'utf8'));
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    for (const icon of [config.icon, config.linux.icon, config.win.icon, config.mac.icon]) {
      expect(existsSync(join(ROOT, icon))).toBe(true);
      // electron-builder wants at least 256 px (512 for macOS).
      expect((await sharp(join(ROOT, icon)).metadata()).width).toBeGreaterThanOrEqual(512);
    }
  });

  it('packs the built app, the tray icons and the demo models', async () => {
    const config = parse(await readFile(join(ROOT, 'electron-builder.yml'), 'utf8'));
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'package.json', 'assets/tray/**']));
    const models = config.extraResources.find((r: { from: string }) => r.from === 'assets/models');
    expect(models).toEqual({ from: 'assets/models', to: 'models' });
    expect(readdirSync(join(ROOT, models.from)).some((f) => f.endsWith('.onnx'))).toBe(true);
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('dist/electron/main.js');
  });

  it('has a 16 px tray icon and its @2x for every stack health', async () => {
    for (const health of ['healthy', 'degraded', 'stopped'] as const) {
      const path = trayIconPath(join(ROOT, 'assets'), health);
      expect((await sharp(path).metadata()).width).toBe(16);
      expect((await sharp(path.replace(/\.png$/, '@2x.png')).metadata()).width).toBe(32);
    }
  });
});
