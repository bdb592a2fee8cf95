import { useEffect, useId, useState } from 'react';
import { useInferenceStatus, useLoadedModels } from '../api/inference-queries';
import { modelSignature } from '../components/tensor-signature';
import { LoadFromDirectory } from '../predictions/LoadFromDirectory';
import { PredictionForm } from '../predictions/PredictionForm';

export function PredictionsPage() {
  const status = useInferenceStatus();
  const reachable = status.data?.reachable === true;
  const models = useLoadedModels(reachable);
  const [modelName, setModelName] = useState('');
  const modelId = useId();

  const loaded = models.data?.models ?? [];
  const model = loaded.find((m) => m.name === modelName);
  useEffect(() => {
    if (!model && loaded[0]) setModelName(loaded[0].name);
  }, [model, loaded]);

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
              <label htmlFor={modelId}>Model</label>
              <select id={modelId} data-testid="model-select" value={modelName} onChange={(e) => setModelName(e.target.value)}>
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

      {reachable && model && <PredictionForm key={model.name} model={model} />}
    </section>
  );
}
