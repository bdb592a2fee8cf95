import { useEffect, useId, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import type { ApiResult } from '../../../electron/api/contract';
import { useAvailableModels, useInferenceStatus, useLoadedModels, useLoadModel, usePredict } from '../api/inference-queries';
import { ACCEPTED_IMAGE_TYPES, imagePayload } from '../components/image-payload';
import { ProgressBar } from '../components/ProgressBar';
import { modelSignature } from '../components/tensor-signature';

type Model = ApiResult<'models.list'>['models'][number];
type InputKind = 'image' | 'tensor';

/** A zero tensor shaped like the model's inputs (dynamic dimensions, -1, as 1): a starting point to edit. */
function exampleTensor(model: Model): string {
  const inputs = Object.fromEntries(
    model.inputs.map((i) => {
      const dims = i.shape.map((d) => (d > 0 ? d : 1));
      return [i.name, { dims, data: new Array(dims.reduce((a, b) => a * b, 1)).fill(0) }];
    }),
  );
  return JSON.stringify(inputs);
}

function LoadFromDirectory({ onLoaded }: { onLoaded: (name: string) => void }) {
  const available = useAvailableModels();
  const load = useLoadModel();
  const [file, setFile] = useState('');
  const selectId = useId();
  const files = available.data?.files.filter((f) => !f.loaded) ?? [];
  useEffect(() => {
    if (!files.some((f) => f.path === file)) setFile(files[0]?.path ?? '');
  }, [files, file]);

  if (available.isError) return <p className="error" role="alert">{available.error.message}</p>;
  return (
    <div className="field-row">
      <label htmlFor={selectId}>Load from the models directory</label>
      <select id={selectId} data-testid="available-select" value={file} onChange={(e) => setFile(e.target.value)} disabled={files.length === 0}>
        {files.length === 0 && <option value="">{available.isPending ? 'Reading the models directory…' : 'No other model files'}</option>}
        {files.map((f) => (
          <option key={f.path} value={f.path}>
            {f.path} ({(f.size_bytes / 1024).toFixed(0)} KB)
          </option>
        ))}
      </select>
      <button type="button" data-testid="load-model" onClick={() => load.mutate({ path: file }, { onSuccess: (m) => onLoaded(m.name) })} disabled={!file || load.isPending}>
        {load.isPending ? 'Loading…' : 'Load'}
      </button>
      {load.isPending && <ProgressBar current={null} total={null} label="Loading the model" />}
      {load.error && (
        <p className="error" role="alert" data-testid="load-error">
          {load.error.message}
        </p>
      )}
    </div>
  );
}

function ImageDrop({ onImage, preview }: { onImage: (file: File) => void; preview: string | null }) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) onImage(file);
  };
  const key = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      input.current?.click();
    }
  };
  return (
    <div
      className={over ? 'dropzone over' : 'dropzone'}
      role="button"
      tabIndex={0}
      aria-label="Choose an image, or drop one here"
      data-testid="image-drop"
      onClick={() => input.current?.click()}
      onKeyDown={key}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      {preview ? <img src={preview} alt="The image to classify" className="preview" /> : <span className="muted">Drop a PNG or JPEG here, or press Enter to choose one</span>}
      <input
        ref={input}
        type="file"
        accept={ACCEPTED_IMAGE_TYPES.join(',')}
        hidden
        data-testid="image-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) onImage(file);
          e.target.value = '';
        }}
      />
    </div>
  );
}

function Result({ result }: { result: ApiResult<'predict.run'> }) {
  const top = result.predictions?.[0];
  return (
    <div className="card result" data-testid="prediction-result" aria-live="polite">
      <dl>
        <dt>Latency</dt>
        <dd data-testid="latency">
          {result.latency_ms.toFixed(2)} ms <span className="muted">({result.inference_ms.toFixed(2)} ms in the model)</span>
        </dd>
        <dt>Provider</dt>
        <dd data-testid="provider">{result.provider}</dd>
      </dl>
      {top ? (
        <ol className="scores" data-testid="top-k">
          {top.map((p) => (
            <li key={p.index}>
              <span className="score-label">{p.label}</span>
              <span className="score-bar" role="meter" aria-label={`score of ${p.label}`} aria-valuemin={0} aria-valuemax={1} aria-valuenow={p.score}>
                <span style={{ width: `${Math.max(0, Math.min(1, p.score)) * 100}%` }} />
              </span>
              <span className="mono">{p.score.toFixed(4)}</span>
            </li>
          ))}
        </ol>
      ) : (
        Object.entries(result.outputs).map(([name, t]) => (
          <p key={name} className="mono" data-testid="raw-output">
            {name} [{t.dims.join('×')}] {t.type}: {t.data.slice(0, 16).map((v) => (typeof v === 'number' ? v.toPrecision(4) : String(v))).join(', ')}
            {t.data.length > 16 ? ` … (${t.data.length} values)` : ''}
          </p>
        ))
      )}
    </div>
  );
}

export function PredictionsPage() {
  const status = useInferenceStatus();
  const reachable = status.data?.reachable === true;
  const models = useLoadedModels(reachable);
  const predict = usePredict();
  const [modelName, setModelName] = useState('');
  const [kind, setKind] = useState<InputKind>('image');
  const [image, setImage] = useState<{ base64: string; preview: string } | null>(null);
  const [imageError, setImageError] = useState<string | null>(null);
  const [tensorText, setTensorText] = useState('');
  const [tensorError, setTensorError] = useState<string | null>(null);
  const ids = { model: useId(), tensor: useId(), tensorError: useId() };

  const loaded = models.data?.models ?? [];
  const model = loaded.find((m) => m.name === modelName);
  useEffect(() => {
    if (!model && loaded[0]) setModelName(loaded[0].name);
  }, [model, loaded]);
  // Only when another model is picked: a refetch of the list must not undo the user's choice.
  const hasImage = !!model?.image;
  useEffect(() => {
    if (modelName) setKind(hasImage ? 'image' : 'tensor');
  }, [modelName, hasImage]);

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

  const run = () => {
    if (!model) return;
    if (kind === 'image') {
      if (image) predict.mutate({ model_name: model.name, input: { kind: 'image', base64: image.base64 } });
      return;
    }
    let inputs: unknown;
    try {
      inputs = JSON.parse(tensorText);
    } catch (err) {
      setTensorError(`Not valid JSON: ${(err as Error).message}`);
      return;
    }
    if (inputs === null || typeof inputs !== 'object') {
      setTensorError('Give an object of named tensors {"input": {"dims": [...], "data": [...]}} or a nested array.');
      return;
    }
    setTensorError(null);
    predict.mutate({ model_name: model.name, input: { kind: 'tensor', inputs: inputs as Record<string, unknown> } });
  };

  const ready = !!model && (kind === 'image' ? !!image : tensorText.trim() !== '');

  return (
    <section aria-labelledby="predictions-title" className="predictions">
      <div className="toolbar">
        <h1 id="predictions-title">Test predictions</h1>
      </div>

      {status.isError && (
        <p className="error" role="alert">
          {status.error.message}
        </p>
      )}
      {status.data && !status.data.reachable && (
        <p className="muted" data-testid="inference-offline">
          {status.data.message}
        </p>
      )}
      {models.isError && (
        <p className="error" role="alert" data-testid="models-error">
          {models.error.message}
        </p>
      )}

      {reachable && (
        <div className="card">
          {models.isPending ? (
            <p className="muted">Asking the inference service…</p>
          ) : loaded.length === 0 ? (
            <p className="muted" data-testid="no-models">
              No model is loaded yet. Load one from the models directory below.
            </p>
          ) : (
            <div className="field-row">
              <label htmlFor={ids.model}>Model</label>
              <select id={ids.model} data-testid="model-select" value={modelName} onChange={(e) => setModelName(e.target.value)}>
                {loaded.map((m) => (
                  <option key={m.name} value={m.name}>
                    {m.name}
                  </option>
                ))}
              </select>
              {model && (
                <span className="muted" data-testid="model-provider">
                  on {model.provider}
                  {model.refused_providers.map((r) => ` · ${r.provider} refused: ${r.reason}`).join('')}
                </span>
              )}
            </div>
          )}
          {model?.description && <p className="muted">{model.description}</p>}
          {model && (
            <p className="muted mono" data-testid="model-signature">
              {modelSignature(model)}
            </p>
          )}
          {!models.isError && <LoadFromDirectory onLoaded={setModelName} />}
        </div>
      )}

      {reachable && model && (
        <div className="card">
          <fieldset className="kind">
            <legend>Input</legend>
            <label>
              <input type="radio" name="input-kind" checked={kind === 'image'} onChange={() => setKind('image')} disabled={!model.image} /> Image
              {!model.image && <span className="muted"> (this model has no image description)</span>}
            </label>
            <label>
              <input type="radio" name="input-kind" checked={kind === 'tensor'} onChange={() => setKind('tensor')} data-testid="kind-tensor" /> Tensor (JSON)
            </label>
          </fieldset>

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
            <div className="tensor">
              <label htmlFor={ids.tensor}>Named tensors as JSON</label>
              <textarea
                id={ids.tensor}
                data-testid="tensor-input"
                rows={6}
                spellCheck={false}
                value={tensorText}
                aria-invalid={!!tensorError}
                aria-describedby={tensorError ? ids.tensorError : undefined}
                onChange={(e) => setTensorText(e.target.value)}
                placeholder='{"input": {"dims": [1, 3], "data": [0.1, 0.2, 0.3]}}'
              />
              {tensorError && (
                <p className="field-error" id={ids.tensorError} data-testid="tensor-error">
                  {tensorError}
                </p>
              )}
              <button type="button" onClick={() => setTensorText(exampleTensor(model))}>
                Fill with zeros of the model's shape
              </button>
            </div>
          )}

          <div className="actions run">
            <button type="button" className="primary" data-testid="run-prediction" onClick={run} disabled={!ready || predict.isPending}>
              {predict.isPending ? 'Running…' : 'Run'}
            </button>
          </div>
          {predict.isPending && <ProgressBar current={null} total={null} label="Running the model" />}
          {predict.error && (
            <p className="error" role="alert" data-testid="predict-error">
              {predict.error.message}
            </p>
          )}
          {predict.data && !predict.isPending && <Result result={predict.data} />}
        </div>
      )}
    </section>
  );
}
