import { describe, expect, it } from 'vitest';
import type { Settings } from '../api/schemas/settings';
import type { QuitChoice } from './desktop-ports';
import { QuitFlow } from './quit-flow';
import { FakeDialog } from './testing/fake-ports';

function setup(onQuit: Settings['desktop']['onQuit'], { running = true, answer = { choice: 'stop', remember: false } as { choice: QuitChoice; remember: boolean } } = {}) {
  const calls: string[] = [];
  let setting = onQuit;
  const dialog = new FakeDialog(answer);
  const flow = new QuitFlow({
    onQuit: () => setting,
    remember: async (choice) => {
      calls.push(`remember ${choice}`);
      setting = choice;
    },
    dialog,
    stackRunning: async () => running,
    stopStack: async () => void calls.push('stop stack'),
    shutdown: async () => void calls.push('shutdown'),
    quit: () => calls.push('quit'),
  });
  return { flow, calls, dialog };
}

const event = () => {
  const e = { prevented: false, preventDefault: () => (e.prevented = true) };
  return e;
};

describe('QuitFlow', () => {
  it('asks, stops the stack, remembers the answer, and does not ask the next time', async () => {
    const { flow, calls, dialog } = setup('ask', { answer: { choice: 'stop', remember: true } });
    expect(await flow.run()).toBe('stopped-stack');
    expect(calls).toEqual(['remember stop', 'stop stack', 'shutdown', 'quit']);
    expect(dialog.asked).toBe(1);
    expect(await flow.run()).toBe('stopped-stack');
    expect(dialog.asked).toBe(1);
  });

  it('remembers "keep" too: the next quit leaves the stack running without asking', async () => {
    const { flow, calls, dialog } = setup('ask', { answer: { choice: 'keep', remember: true } });
    expect(await flow.run()).toBe('kept-stack');
    expect(await flow.run()).toBe('kept-stack');
    expect(calls).toEqual(['remember keep', 'shutdown', 'quit', 'shutdown', 'quit']);
    expect(dialog.asked).toBe(1);
  });

  it('keeps the stack running when told so, without remembering unless asked to', async () => {
    const { flow, calls } = setup('ask', { answer: { choice: 'keep', remember: false } });
    expect(await flow.run()).toBe('kept-stack');
    expect(calls).toEqual(['shutdown', 'quit']);
  });

  it('cancel keeps the app open', async () => {
    const { flow, calls } = setup('ask', { answer: { choice: 'cancel', remember: true } });
    expect(await flow.run()).toBe('cancelled');
    expect(calls).toEqual([]);
  });

  it('does not ask when the stack is not running, nor when the setting decides', async () => {
    for (const [setting, running, expected] of [
      ['ask', false, ['shutdown', 'quit']],
      ['stop', true, ['stop stack', 'shutdown', 'quit']],
      ['stop', false, ['shutdown', 'quit']],
      ['keep', true, ['shutdown', 'quit']],
    ] as const) {
      const { flow, calls, dialog } = setup(setting, { running });
      await flow.run();
      expect(calls).toEqual(expected);
      expect(dialog.asked).toBe(0);
    }
  });

  it("holds Electron's first before-quit and lets its own quit through", async () => {
    const { flow, calls } = setup('keep');
    const first = event();
    flow.onBeforeQuit(first);
    expect(first.prevented).toBe(true);
    await expect.poll(() => calls).toEqual(['shutdown', 'quit']);
    const second = event();
    flow.onBeforeQuit(second);
    expect(second.prevented).toBe(false);
  });
});
