import { ConsoleError } from '../console-error';
import type { GpuSelection } from '../../electron/api/schemas/gpu-selection';
import type { AmdCard } from './amd-cards';


/** The cards a selection names, in its order; naming a card this host lacks is the user's to fix. */
export function selectCards(found: AmdCard[], selection: GpuSelection): AmdCard[] {
  if (selection === 'all') return found;
  if (selection === 'none') return [];
  const byName = new Map(found.map((c) => [c.name, c]));
  const missing = selection.filter((name) => !byName.has(name));
  if (missing.length > 0) {
    const listed = `inference.gpus lists ${missing.join(', ')}`;
    throw new ConsoleError(
      'GPU_NOT_FOUND',
      found.length > 0
        ? `${listed}, which ${missing.length > 1 ? 'are not AMD cards' : 'is not an AMD card'} on this machine (the AMD cards found are ${found.map((c) => c.name).join(', ')}): change inference.gpus, or set it to 'all'.`
        : `${listed}, but no AMD card was found on this machine: set inference.gpus to 'all' or 'none' to run inference on the CPU.`,
      400,
    );
  }
  return selection.map((name) => byName.get(name)!);
}
