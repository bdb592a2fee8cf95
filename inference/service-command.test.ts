import { Command } from 'commander';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceSettingsFromEnv } from './service-settings';
import { DEMO_MODEL_FILES, demoModelsDir } from './models-dir';
import { addInferenceOptions, inferenceOptionsFrom } from './service-command';

describe('inference service options', () => {
  it('come from the service settings: demo models and their preload by default', () => {
    const options = inferenceOptionsFrom(serviceSettingsFromEnv({}), {});
    expect(options).toMatchObject({ port: 8000, modelsDir: demoModelsDir(), providers: ['webgpu', 'cpu'], maxConcurrent: 64, load: DEMO_MODEL_FILES });
  });

  it('take environment overrides and a models folder of the user with no preload', () => {
    const settings = serviceSettingsFromEnv({ RX580_OPS_INFERENCE_MODELS_DIR: '/srv/models', RX580_OPS_INFERENCE_PROVIDERS: 'cpu', RX580_OPS_INFERENCE_MAX_CONCURRENT: '8' });
    expect(inferenceOptionsFrom(settings, {})).toMatchObject({ modelsDir: '/srv/models', providers: ['cpu'], maxConcurrent: 8, load: [] });
    const preload = serviceSettingsFromEnv({ RX580_OPS_INFERENCE_MODELS_DIR: '/srv/models', RX580_OPS_INFERENCE_PRELOAD: 'a.onnx,b.onnx' });
    expect(inferenceOptionsFrom(preload, {}).load).toEqual(['a.onnx', 'b.onnx']);
  });

  it('preload exactly what --load or the preload setting names once --models-dir is given, never the demo models', () => {
    const defaults = serviceSettingsFromEnv({});
    expect(inferenceOptionsFrom(defaults, { modelsDir: '/srv/models' })).toMatchObject({ modelsDir: '/srv/models', load: [] });
    expect(inferenceOptionsFrom(defaults, { modelsDir: '/srv/models', load: 'mine.onnx' }).load).toEqual(['mine.onnx']);
    const preload = serviceSettingsFromEnv({ RX580_OPS_INFERENCE_PRELOAD: 'a.onnx' });
    expect(inferenceOptionsFrom(preload, { modelsDir: 'models' })).toMatchObject({ modelsDir: resolve('models'), load: ['a.onnx'] });
  });

  it('let command-line flags win, and refuse unknown providers', () => {
    const options = inferenceOptionsFrom(serviceSettingsFromEnv({}), { port: 0, modelsDir: '/tmp/m', providers: 'cpu', listen: '127.0.0.1', load: 'x.onnx' });
    expect(options).toMatchObject({ port: 0, modelsDir: '/tmp/m', providers: ['cpu'], listen: ['127.0.0.1'], load: ['x.onnx'] });
    expect(() => inferenceOptionsFrom(serviceSettingsFromEnv({}), { providers: 'cuda,cpu' })).toThrow(/--providers takes webgpu, dml, cpu/);
  });

  it('run in container mode from --in-container or RX580_OPS_INFERENCE_IN_CONTAINER=1, and read sysfs from --sys-root', () => {
    const settings = serviceSettingsFromEnv({});
    expect(inferenceOptionsFrom(settings, {}, {}).inContainer).toBeUndefined();
    expect(inferenceOptionsFrom(settings, { inContainer: true }, {}).inContainer).toBe(true);
    expect(inferenceOptionsFrom(settings, {}, { RX580_OPS_INFERENCE_IN_CONTAINER: '1' }).inContainer).toBe(true);
    expect(inferenceOptionsFrom(settings, {}, { RX580_OPS_INFERENCE_IN_CONTAINER: '0' }).inContainer).toBeUndefined();
    expect(inferenceOptionsFrom(settings, { sysRoot: 'fixtures/sys' }, {}).sysRoot).toBe(resolve('fixtures/sys'));
  });

  it('parse the container flags from a command line', () => {
    const program = addInferenceOptions(new Command('t')).exitOverride();
    program.parse(['--in-container', '--sys-root', '/host/sys'], { from: 'user' });
    expect(program.opts()).toMatchObject({ inContainer: true, sysRoot: '/host/sys' });
  });
});
