import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelInfoSchema, shapeText } from './api-types';
import { describeShape, tensorInfo } from './model-metadata';
import { dynamicDimsModel, writeModel } from './testing/small-models';
import { call, startTestService, type TestService } from './testing/test-service';

describe('model metadata', () => {
  it('reports dynamic dims as -1 and keeps their symbolic names beside the shape', async () => {
    const session = await ort.InferenceSession.create(dynamicDimsModel());
    try {
      // What onnxruntime gives: "" for an unnamed dynamic dim, the name for a named one.
      expect(session.inputMetadata[0]).toMatchObject({ shape: ['', 'p2o.DynamicDimension.0', 3] });
      const [x] = tensorInfo(session.inputMetadata);
      expect(x).toEqual({ name: 'x', type: 'float32', shape: [-1, -1, 3], dimNames: [null, 'p2o.DynamicDimension.0', null] });
      expect(describeShape(x!)).toBe('[?, p2o.DynamicDimension.0, 3]');
    } finally {
      await session.release();
    }
  });

  it('writes shapes for people: names, ? for an unnamed dynamic dim, sizes as they are', () => {
    expect(shapeText([-1, 1, 28, 28], ['batch', null, null, null])).toBe('[batch, 1, 28, 28]');
    expect(shapeText([-1, 10], [])).toBe('[?, 10]');
    expect(shapeText([], [])).toBe('[]');
  });

  describe('over HTTP', () => {
    let svc: TestService;
    beforeAll(async () => {
      svc = await startTestService();
      await writeModel(svc.modelsDir, 'dynamic-dims.onnx', dynamicDimsModel());
    });
    afterAll(() => svc?.stop());

    it('answers the shape with -1 and the names in dim_names, as the console contract reads it', async () => {
      const load = await call(svc, 'POST', '/models/load', { path: 'dynamic-dims.onnx' });
      expect(load.status).toBe(201);
      const dynamic = { shape: [-1, -1, 3], dim_names: [null, 'p2o.DynamicDimension.0', null] };
      expect(load.json).toMatchObject({ input_shapes: { x: [-1, -1, 3] }, output_shapes: { y: [-1, -1, 3] } });
      expect(load.json.inputs).toEqual([{ name: 'x', type: 'float32', ...dynamic }]);
      expect(load.json.outputs).toEqual([{ name: 'y', type: 'float32', ...dynamic }]);
      expect(modelInfoSchema.safeParse(load.json).success).toBe(true);

      const digits = (await call(svc, 'POST', '/models/load', { path: 'digits.onnx' })).json;
      expect(digits.inputs).toEqual([{ name: 'image', type: 'float32', shape: [-1, 1, 28, 28], dim_names: ['batch', null, null, null] }]);
      expect(digits.input_shapes).toEqual({ image: [-1, 1, 28, 28] });
    });

    it('documents the representation in the OpenAPI document', async () => {
      const doc = (await call(svc, 'GET', '/openapi.json')).json;
      const info = doc.paths['/models/{name}'].get.responses['200'].content['application/json'].schema.properties.inputs.items;
      expect(info.properties.shape.items).toMatchObject({ type: 'integer', minimum: -1 });
      expect(info.properties.dim_names.description).toMatch(/symbolic name/);
    });
  });
});
