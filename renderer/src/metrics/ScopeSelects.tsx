import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { workersOf } from '../../../electron/api/dashboards/scope';
import { useApi } from '../api/api-context';

/** Rigs come and go rarely: their list is asked again this often, not with every chart refresh. */
const OPTIONS_REFRESH_MS = 30_000;

interface Props {
  rig: string[];
  gpu: string[];
  onChange: (next: { rig: string[]; gpu: string[] }) => void;
  /** The charts' range, Unix seconds (a live one ends now): the options are what reported in it. */
  range: { seconds: number; end?: number };
  enabled: boolean;
}

/** The values of a label among the workers' `up` series (of `rig` when given) in the charts' range. */
function useWorkerLabel(label: 'rig' | 'gpu', rig: string[], { seconds, end }: Props['range'], enabled: boolean): string[] {
  const api = useApi();
  const match = workersOf(label === 'gpu' ? rig : []);
  const query = useQuery({
    queryKey: ['prometheus', 'labelValues', label, match, seconds, end],
    queryFn: () => {
      const to = end ?? Date.now() / 1000;
      return api.call('prometheus.labelValues', label, { match: [match], start: to - seconds, end: to });
    },
    enabled,
    refetchInterval: end === undefined ? OPTIONS_REFRESH_MS : false,
    placeholderData: keepPreviousData,
  });
  return query.data ?? [];
}

/**
 * One select: All, each value listed, and what is chosen even when not listed (a link naming a
 * rig gone, or several at once). An option's value is the JSON of the values it stands for.
 */
function LabelSelect({ label, testId, listed, chosen, onChange }: { label: string; testId: string; listed: string[]; chosen: string[]; onChange: (values: string[]) => void }) {
  const values = [...new Set([...listed, ...chosen])].sort();
  return (
    <label>
      {label}{' '}
      <select value={JSON.stringify(chosen)} onChange={(e) => onChange(JSON.parse(e.target.value) as string[])} data-testid={testId}>
        <option value="[]">All</option>
        {chosen.length > 1 && <option value={JSON.stringify(chosen)}>{chosen.join(', ')}</option>}
        {values.map((v) => (
          <option key={v} value={JSON.stringify([v])}>
            {v}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The rig and GPU selects over every panel; the GPUs offered are those of the rigs chosen. */
export function ScopeSelects({ rig, gpu, onChange, range, enabled }: Props) {
  const rigs = useWorkerLabel('rig', [], range, enabled);
  const gpus = useWorkerLabel('gpu', rig, range, enabled);
  return (
    <div className="field-row" role="group" aria-label="Rig and GPU">
      {/* Another rig's GPUs are not this one's: a new rig starts from All GPUs. */}
      <LabelSelect label="Rig" testId="metrics-rig" listed={rigs} chosen={rig} onChange={(next) => onChange({ rig: next, gpu: [] })} />
      <LabelSelect label="GPU" testId="metrics-gpu" listed={gpus} chosen={gpu} onChange={(next) => onChange({ rig, gpu: next })} />
    </div>
  );
}
