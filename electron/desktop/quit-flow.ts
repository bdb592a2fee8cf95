import { userMessage } from '../../stack/console-error';
import type { Settings } from '../api/schemas/settings';
import type { DialogPort, PreventableEvent } from './desktop-ports';

export interface QuitFlowOptions {
  /** Read at quit time: the answer may have been remembered since the app started. */
  onQuit: () => Settings['desktop']['onQuit'];
  remember: (choice: 'stop' | 'keep') => Promise<void>;
  dialog: DialogPort;
  stackRunning: () => Promise<boolean>;
  stopStack: () => Promise<void>;
  /** Ends the console's own watchers; the rig is left as the choice says. */
  shutdown: () => Promise<void>;
  quit: () => void;
  log?: (message: string) => void;
}

export type QuitOutcome = 'stopped-stack' | 'kept-stack' | 'cancelled';

/**
 * What quitting does to a running stack: ask (with "remember my answer"), stop it, or keep it
 * running, per `desktop.onQuit`. Electron's before-quit is held until the answer is acted on.
 */
export class QuitFlow {
  private ready = false;
  private running: Promise<QuitOutcome> | null = null;

  constructor(private readonly options: QuitFlowOptions) {}

  /** Wired to app's before-quit: the first one is held, the one we send ourselves goes through. */
  onBeforeQuit(event: PreventableEvent): void {
    if (this.ready) return;
    event.preventDefault();
    void this.run();
  }

  run(): Promise<QuitOutcome> {
    this.running ??= this.decide().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async decide(): Promise<QuitOutcome> {
    const o = this.options;
    let choice: 'stop' | 'keep' = 'keep';
    const setting = o.onQuit();
    if (setting !== 'keep' && (await o.stackRunning())) {
      if (setting === 'stop') choice = 'stop';
      else {
        const answer = await o.dialog.askOnQuit();
        if (answer.choice === 'cancel') return 'cancelled';
        choice = answer.choice;
        if (answer.remember) await o.remember(choice).catch((err: unknown) => o.log?.(`Could not remember the quit choice: ${userMessage(err)}`));
      }
    }
    if (choice === 'stop') await o.stopStack().catch((err: unknown) => o.log?.(`Stopping the stack failed: ${userMessage(err)}`));
    await o.shutdown();
    this.ready = true;
    o.quit();
    return choice === 'stop' ? 'stopped-stack' : 'kept-stack';
  }
}
