import { useMemo, useState, type FormEvent } from 'react';
import type { ApiResult } from '../../../electron/api/contract';
import type { TensorJson } from '../../../electron/api/inference-contract';
import { usePredict } from '../api/inference-queries';
import { imagePayload } from '../components/image-payload';
import { ProgressBar } from '../components/ProgressBar';
import { ImageDrop } from './ImageDrop';
import { OutputPicker } from './OutputPicker';
import { PredictionResult } from './PredictionResult';
import { checkField, initialField } from './tensor-field';
import { TensorInputForm } from './TensorInputForm';

type Model = ApiResult<'models.list'>['models'][number];
type InputKind = 'image' | 'tensor';

/**
 * What to run one model on and what to answer with: an image for a model whose sidecar describes
 * one, else a field per input; the outputs to compute; the run and its result. Keyed by the
 * model's name, so picking another model starts afresh while a refetch of the list keeps it all.
 */
export function PredictionForm({ model }: { model: Model }) {
  const predict = usePredict();
  const [kind, setKind] = useState<InputKind>(model.image ? 'image' : 'tensor');
  const [image, setImage] = useState<{ base64: string; preview: string } | null>(null);
  const [imageError, setImageError] = useState<string | null>(null);
  const [texts, setTexts] = useState(() => Object.fromEntries(model.inputs.map((i) => [i.name, initialField(i)])));
  const [attempted, setAttempted] = useState(false);
  const [chosen, setChosen] = useState(() => new Set(model.outputs.map((o) => o.name)));
  const checks = useMemo(() => model.inputs.map((i) => checkField(i, texts[i.name]!)), [model.inputs, texts]);

  const chooseImage = async (file: File) => {
    setImageError(null);
    try {
      const base64 = await imagePayload(file);
      setImage((prev) => {
        if (prev) URL.revokeObjectURL(prev.preview);
        return { base64, preview: URL.createObjectURL(file) };
      });
    } catch (err) {
      setImage(null);
      setImageError((err as Error).message);
    }
  };

  const run = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    // Keyboard users land on what to fix; its message is tied to it by aria-describedby.
    const focus = (name: string) => form.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`)?.focus();
    const outputs = model.outputs.map((o) => o.name).filter((n) => chosen.has(n));
    if (outputs.length === 0) return focus('outputs');
    if (kind === 'image') {
      if (image) predict.mutate({ model_name: model.name, outputs, input: { kind: 'image', base64: image.base64 } });
      return;
    }
    setAttempted(true);
    const inputs: Record<string, TensorJson> = {};
    for (const [i, info] of model.inputs.entries()) {
      const check = checks[i]!;
      if (!check.ok) return focus(`${info.name}:${check.part}`);
      inputs[info.name] = check.tensor;
    }
    predict.mutate({ model_name: model.name, outputs, input: { kind: 'tensor', inputs } });
  };

  return (
    <form className="card" onSubmit={run}>
      {model.image && (
        <fieldset className="kind">
          <legend>Input</legend>
          <label>
            <input type="radio" name="input-kind" checked={kind === 'image'} onChange={() => setKind('image')} /> Image
          </label>
          <label>
            <input type="radio" name="input-kind" checked={kind === 'tensor'} onChange={() => setKind('tensor')} data-testid="kind-tensor" /> Tensors
          </label>
        </fieldset>
      )}

      {kind === 'image' ? (
        <>
          <ImageDrop onImage={chooseImage} preview={image?.preview ?? null} />
          {imageError && (
            <p className="error" role="alert" data-testid="image-error">
              {imageError}
            </p>
          )}
        </>
      ) : (
        <TensorInputForm inputs={model.inputs} texts={texts} checks={checks} attempted={attempted} onChange={(name, text) => setTexts((t) => ({ ...t, [name]: text }))} />
      )}

      <OutputPicker outputs={model.outputs} chosen={chosen} onChange={setChosen} />

      <div className="actions run">
        <button type="submit" className="primary" data-testid="run-prediction" disabled={(kind === 'image' && !image) || predict.isPending}>
          {predict.isPending ? 'Running…' : 'Run'}
        </button>
      </div>
      {predict.isPending && <ProgressBar current={null} total={null} label="Running the model" />}
      {predict.error && (
        <p className="error" role="alert" data-testid="predict-error">
          {predict.error.message}
        </p>
      )}
      {predict.data && !predict.isPending && <PredictionResult result={predict.data} />}
    </form>
  );
}
