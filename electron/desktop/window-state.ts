import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Rectangle, WindowPort } from './desktop-ports';

export const windowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400),
  height: z.number().int().min(300),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof windowStateSchema>;

/** At least this much of the window's title bar must be on some display to reuse its position. */
const MIN_VISIBLE = 64;

function visibleOn(bounds: Rectangle, area: Rectangle): boolean {
  const overlapX = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
  const titleBarInside = bounds.y >= area.y && bounds.y < area.y + area.height - MIN_VISIBLE;
  return overlapX >= MIN_VISIBLE && titleBarInside;
}

/** The window's size, position and maximised state, kept in the user data directory. */
export class WindowStateStore {
  constructor(private readonly file: string) {}

  /** The remembered state, placed on a connected display; null when there is none or it is unreadable. */
  async load(workAreas: Rectangle[]): Promise<WindowState | null> {
    const raw = await readFile(this.file, 'utf8').catch(() => null);
    if (raw === null) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return null;
    }
    const result = windowStateSchema.safeParse(parsed);
    if (!result.success) return null;
    const state = result.data;
    const area = workAreas.find((a) => visibleOn(state, a)) ?? workAreas[0];
    if (!area || workAreas.some((a) => visibleOn(state, a))) return state;
    // The display it was on is gone: keep the size (shrunk to fit), centre it on the first display.
    const width = Math.min(state.width, area.width);
    const height = Math.min(state.height, area.height);
    return { ...state, width, height, x: area.x + Math.round((area.width - width) / 2), y: area.y + Math.round((area.height - height) / 2) };
  }

  async save(state: WindowState): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(state) + '\n');
    await rename(tmp, this.file);
  }
}

/** Saves the window's state as it changes (debounced) and when it closes; returns a flush. */
export function trackWindowState(win: WindowPort, store: WindowStateStore, debounceMs = 400): () => Promise<void> {
  let timer: NodeJS.Timeout | null = null;
  let last: Promise<void> = Promise.resolve();
  const snapshot = (): WindowState => ({ ...win.getNormalBounds(), maximized: win.isMaximized() });
  const saveNow = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (win.isDestroyed()) return;
    const state = snapshot();
    last = last.then(() => store.save(state)).catch(() => undefined);
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(saveNow, debounceMs);
  };
  for (const event of ['resize', 'move'] as const) win.on(event, later);
  for (const event of ['maximize', 'unmaximize'] as const) win.on(event, saveNow);
  win.on('close', saveNow);
  return () => {
    saveNow();
    return last;
  };
}
