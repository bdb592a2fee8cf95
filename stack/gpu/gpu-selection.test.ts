import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../console-error';
import type { AmdCard } from './amd-cards';
import { gpuSelectionSchema } from '../../electron/api/schemas/gpu-selection';
import { selectCards } from './gpu-selection';

const card = (name: string): AmdCard => ({ name, pciSlot: null, deviceId: '0x67df', sysfsDevice: `/sys/devices/${name}`, nodes: [`/dev/dri/${name}`] });
const found = [card('card0'), card('card1'), card('card2')];

const problem = (input: unknown) => {
  const result = gpuSelectionSchema.safeParse(input);
  return result.success ? null : result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
};

describe('inference.gpus schema', () => {
  it("accepts 'all', 'none', a list of cards, and a comma-separated list (an environment variable)", () => {
    expect(gpuSelectionSchema.parse('all')).toBe('all');
    expect(gpuSelectionSchema.parse('none')).toBe('none');
    expect(gpuSelectionSchema.parse(['card0'])).toEqual(['card0']);
    expect(gpuSelectionSchema.parse('card0,card1')).toEqual(['card0', 'card1']);
    expect(gpuSelectionSchema.parse(' card2 , card10 ')).toEqual(['card2', 'card10']);
    expect(gpuSelectionSchema.default('all').parse(undefined)).toBe('all');
  });

  it('rejects what is not a list of distinct card names, saying why', () => {
    expect(problem('card')).toBe('0: "card" is not a card name (card0, card1, …)');
    expect(problem(['card0', 'card0'])).toBe('(root): card0 listed more than once');
    expect(problem([])).toBe("(root): list at least one card, or use 'all' or 'none'");
    expect(problem(7)).toBe("(root): must be 'all', 'none' or a list of card names like card0");
  });
});

describe('selecting cards', () => {
  it("gives all cards for 'all', none for 'none', and a list's cards in its order", () => {
    expect(selectCards(found, 'all')).toEqual(found);
    expect(selectCards(found, 'none')).toEqual([]);
    expect(selectCards(found, ['card2', 'card0']).map((c) => c.name)).toEqual(['card2', 'card0']);
  });

  it('refuses a card this machine does not have, naming it and the cards found', () => {
    const err = (() => {
      try {
        selectCards(found, ['card0', 'card7']);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConsoleError);
    expect(err).toMatchObject({
      code: 'GPU_NOT_FOUND',
      status: 400,
      message: "inference.gpus lists card7, which is not an AMD card on this machine (the AMD cards found are card0, card1, card2): change inference.gpus, or set it to 'all'.",
    });
  });

  it('says no AMD card was found when the machine has none', () => {
    expect(() => selectCards([], ['card0', 'card1'])).toThrow(
      "inference.gpus lists card0, card1, but no AMD card was found on this machine: set inference.gpus to 'all' or 'none' to run inference on the CPU.",
    );
  });
});
