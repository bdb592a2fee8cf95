// Renders the tray icons (assets/tray/<health>.png, 16 px, and @2x, 32 px) with sharp: the app's
// icon with a status dot in the corner whose colour is the stack's health. Run it after changing
// assets/icon.svg; the PNGs are committed.
import { mkdir } from 'node:fs/promises';
import sharp from 'sharp';

const COLOURS = { healthy: '#1f883d', degraded: '#d29922', stopped: '#6e7781' };
const out = new URL('../assets/tray/', import.meta.url);
await mkdir(out, { recursive: true });

for (const [health, colour] of Object.entries(COLOURS)) {
  for (const [suffix, size] of [['', 16], ['@2x', 32]]) {
    const dot = Math.round(size * 0.56);
    const ring = Math.max(1, Math.round(size / 16));
    const badge = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${dot}" height="${dot}"><circle cx="${dot / 2}" cy="${dot / 2}" r="${dot / 2 - ring / 2}" fill="${colour}" stroke="#ffffff" stroke-width="${ring}"/></svg>`,
    );
    const icon = await sharp(new URL('../assets/icon.svg', import.meta.url).pathname, { density: 300 }).resize(size, size).png().toBuffer();
    await sharp(icon)
      .composite([{ input: badge, left: size - dot, top: size - dot }])
      .png({ compressionLevel: 9 })
      .toFile(new URL(`${health}${suffix}.png`, out).pathname);
  }
}
console.log(`tray icons written to ${out.pathname}`);
