import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleCore } from '../electron/core/console-core';
import { startWebBridge, type WebBridge } from '../electron/web/web-bridge';
import { loadDigits } from '../inference/demo-models/mnist-digits';
import { digitImage } from '../inference/testing/digit-images';
import { writeModel } from '../inference/testing/small-models';
import { startTestService, type TestService } from '../inference/testing/test-service';
import { statefulModel } from '../inference/testing/type-models';
import { parseSettings } from '../electron/settings/settings-file';
import { freePort } from '../stack/testing/test-settings';
import { collectConsoleErrors, openConsolePage, openWebConsole, RENDERER_DIR, SCREENSHOTS } from './browser';

// The Predictions page in a real Chromium, through the web bridge, to the real inference service.
describe('predictions page e2e', () => {
  let svc: TestService;
  let core: ConsoleCore;
  let bridge: WebBridge;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    svc = await startTestService();
    const settings = parseSettings({ project: `rx580-test-predictions-${process.pid}`, inference: { port: svc.port }, grafana: { enabled: false } });
    core = new ConsoleCore({ settings, settingsFile: '(test)', mode: 'web' });
    // Tall enough for the whole page in the screenshot, so the status bar (sticky) sits below the result.
    ({ bridge, browser, page, consoleErrors } = await openWebConsole(core, { viewport: { width: 1200, height: 1040 } }));
  });

  afterAll(async () => {
    await browser?.close();
    core?.close();
    await bridge?.close();
    await svc?.stop();
  });

  it('loads a model from the models directory, classifies a dropped-in digit, shows errors as they came', async () => {
    await openConsolePage(page, bridge.openUrl, 'predictions');
    await expect.poll(() => page.getByTestId('no-models').isVisible()).toBe(true);

    await page.getByTestId('available-select').selectOption('digits.onnx');
    await page.getByTestId('load-model').click();
    await expect.poll(() => page.getByTestId('model-select').inputValue()).toBe('digits');
    expect(await page.getByTestId('model-provider').textContent()).toContain('cpu');

    const sample = loadDigits().test[11]!;
    await page.getByTestId('image-file').setInputFiles({ name: 'digit.png', mimeType: 'image/png', buffer: await digitImage(sample) });
    await expect.poll(() => page.getByRole('img', { name: 'The image to classify' }).isVisible()).toBe(true);
    await page.getByTestId('run-prediction').click();
    const top = page.getByTestId('top-k').locator('li').first();
    await expect.poll(() => top.locator('.score-label').textContent()).toBe(String(sample.label));
    expect(await page.getByTestId('top-k').locator('li').count()).toBe(5);
    expect(await page.getByTestId('provider').textContent()).toBe('cpu');
    expect(await page.getByTestId('latency').textContent()).toMatch(/\d+\.\d\d ms/);
    await page.screenshot({ path: `${SCREENSHOTS}predictions.png`, fullPage: true });

    // A corrupt image: the service's own message, as it came.
    await page.getByTestId('image-file').setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('not really a png') });
    await page.getByTestId('run-prediction').click();
    await expect.poll(() => page.getByTestId('predict-error').textContent()).toMatch(/could not be read/);

    // Tensors for the same model: the field's message as it is typed, then the digit's pixels.
    await page.getByTestId('kind-tensor').check();
    const pixels = page.getByLabel('image float32 [batch, 1, 28, 28]');
    const fieldError = page.getByTestId('field-error-image');
    await pixels.fill('[0, ');
    await expect.poll(() => fieldError.textContent()).toMatch(/^Not JSON: /);
    await pixels.fill('[0, 0]');
    await expect.poll(() => fieldError.textContent()).toBe('2 values, but dims [1, 1, 28, 28] need 784.');
    await pixels.fill(JSON.stringify(Array.from(sample.pixels)));
    await expect.poll(() => fieldError.textContent()).toBe('');
    await page.getByTestId('run-prediction').click();
    await expect.poll(() => page.getByTestId('predict-error').count()).toBe(0);
    await expect.poll(() => top.locator('.score-label').textContent()).toBe(String(sample.label));

    // Keyboard: Enter on the focused drop zone opens the file picker (the file input is clicked).
    await page.getByRole('radio', { name: 'Image' }).check();
    await page.getByTestId('image-file').evaluate((input) => input.addEventListener('click', (e) => {
      e.preventDefault();
      document.body.dataset.pickerOpened = 'yes';
    }));
    await page.getByTestId('image-drop').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.body.dataset.pickerOpened)).toBe('yes');

    // The only console errors are the browser's notes about the 4xx answers above.
    expect(consoleErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  }, 120_000);

  it('offers a field per input of a multi-input model, checks them as typed, and runs the outputs picked', async () => {
    await writeModel(svc.modelsDir, 'stateful.onnx', statefulModel());
    await openConsolePage(page, bridge.openUrl, 'predictions');
    await page.getByTestId('available-select').selectOption('stateful.onnx');
    await page.getByTestId('load-model').click();
    await expect.poll(() => page.getByTestId('model-select').inputValue()).toBe('stateful');
    expect(await page.getByTestId('kind-tensor').count()).toBe(0);

    // Each field is labelled with its input's signature; the dynamic dim starts at 1.
    const rate = page.getByLabel('sr int64 []');
    const state = page.getByLabel('state float32 [2, 1, ?]');
    const dims = page.getByTestId('dims-state');
    expect(await dims.inputValue()).toBe('2, 1, 1');

    // Mistakes are said beside their field, tied to it for assistive technology.
    await rate.fill('16000.5');
    await expect.poll(() => page.getByTestId('field-error-sr').textContent()).toBe('Value 1 (16000.5) is not an integer.');
    expect(await rate.getAttribute('aria-invalid')).toBe('true');
    const errorId = await page.getByTestId('field-error-sr').getAttribute('id');
    expect((await rate.getAttribute('aria-describedby'))?.split(' ')).toContain(errorId);
    await rate.fill('16000');
    await state.fill('[[[0.5, 1]], [[1.5, 2]]]');
    await expect.poll(() => page.getByTestId('field-error-state').textContent()).toBe('The values are nested as [2, 1, 2], but the dims are [2, 1, 1].');
    await dims.fill('2, 1, 2');
    await expect.poll(() => page.getByTestId('field-error-state').textContent()).toBe('');
    expect(await rate.getAttribute('aria-invalid')).toBe('false');

    // Only stateN, and Enter in a field runs.
    await page.getByRole('checkbox', { name: 'rate int64 []' }).uncheck();
    await state.press('Enter');
    const stateN = page.getByTestId('output-stateN');
    await expect.poll(() => stateN.getByTestId('output-values').textContent()).toBe('16000.5, 16001, 16001.5, 16002');
    expect(await stateN.getByTestId('output-dims').textContent()).toBe('[2, 1, 2]');
    expect(await stateN.locator('td').first().textContent()).toBe('float32');
    expect(await page.getByTestId('output-rate').count()).toBe(0);
    expect(await page.getByTestId('top-k').count()).toBe(0);
    expect(consoleErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  }, 60_000);

  it('says the service is not running, without an error storm, and notices when it starts', async () => {
    const port = await freePort();
    const offline = new ConsoleCore({ settings: parseSettings({ project: `rx580-test-predictions-off-${process.pid}`, inference: { port } }), settingsFile: '(test)', mode: 'web' });
    const offlineBridge = await startWebBridge({ handlers: offline.handlers, events: offline, port: 0, rendererDir: RENDERER_DIR });
    const other = await browser.newPage();
    const errors = collectConsoleErrors(other);
    let late: TestService | null = null;
    try {
      await openConsolePage(other, offlineBridge.openUrl, 'predictions');
      await expect.poll(() => other.getByTestId('inference-offline').isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await other.getByTestId('inference-offline').textContent()).toMatch(/not answering/);
      late = await startTestService({ port });
      await expect.poll(() => other.getByTestId('no-models').isVisible(), { timeout: 15_000 }).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await other.close();
      offline.close();
      await offlineBridge.close();
      await late?.stop();
    }
  }, 60_000);
});
