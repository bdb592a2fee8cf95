import { useEffect, useId, useState } from 'react';
import { useAvailableModels, useLoadModel } from '../api/inference-queries';
import { ProgressBar } from '../components/ProgressBar';

/** The .onnx files in the service's models directory not loaded yet, and a button to load one. */
export function LoadFromDirectory({ onLoaded }: { onLoaded: (name: string) => void }) {
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
