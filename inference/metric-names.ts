/**
 * The metric contract between the inference service (which exports these), the alert rules and
 * dashboard (which query them) and the UI. The names are the ones the seed's users already know;
 * import them from here rather than retyping strings, so a rename breaks the build, not the alerts.
 */

/** What every stack service exports (Go's and prom-client's process collector): restarts show as changes. */
export const PROCESS_METRICS = {
  startTime: { name: 'process_start_time_seconds', labels: [] },
} as const;

/** What the inference service exports on its `/metrics`, with the labels each series carries. */
export const INFERENCE_METRICS = {
  /** Counter; `status` is the HTTP code as a string ("200", "503"), `endpoint` a route template ("/models/{name}"). */
  requests: { name: 'api_requests_total', labels: ['endpoint', 'method', 'status'] },
  /** Histogram (seconds) of whole requests. */
  requestDuration: { name: 'api_request_duration_seconds', labels: ['endpoint', 'method'] },
  /** Histogram (seconds) of model runs alone, per request (a batched run counts once for each request it answered). */
  inferenceDuration: { name: 'inference_duration_seconds', labels: ['model'] },
  /** Histogram of rows (dim 0) per session.run of a model served with batching: above 1, requests were joined. */
  batchSize: { name: 'inference_batch_size', labels: ['model'] },
  /** Histogram (seconds) a request to a model served with batching waited for its run to start. */
  queueDuration: { name: 'inference_queue_duration_seconds', labels: ['model'] },
  /** Counter of requests refused 401, by why: no Authorization header, not a bearer key, or a key not on the list. */
  authFailures: { name: 'api_auth_failures_total', labels: ['reason'] },
  /** Counter of requests refused 429 by the per-key rate limit (the key itself is never a label). */
  rateLimited: { name: 'api_rate_limited_total', labels: [] },
  /** Counter of load attempts by outcome. */
  modelsLoaded: { name: 'models_loaded_total', labels: ['status'] },
  /** Counter of predictions served. */
  predictions: { name: 'predictions_total', labels: ['model'] },
  /** Counter of runs of a model that failed inside onnxruntime (bad input refused before the run is not counted). */
  predictionFailures: { name: 'prediction_failures_total', labels: ['model'] },
  /** Gauge of open TCP connections to the service. */
  activeConnections: { name: 'active_connections', labels: [] },
  /** Gauge: Unix time (seconds, sub-second precision) the service's process started, as every other service exports it. */
  processStart: PROCESS_METRICS.startTime,
  /** Gauge of the service's resident memory. */
  memory: { name: 'memory_usage_bytes', labels: [] },
  /** Gauge of GPU memory in use (measured, never a constant); one series per AMD card, none without one. */
  gpuMemory: { name: 'gpu_memory_usage_bytes', labels: ['card'] },
  /** Gauges the amdgpu driver reports beside VRAM in use, per card; absent where the card does not report them. */
  gpuMemoryTotal: { name: 'gpu_memory_total_bytes', labels: ['card'] },
  gpuBusy: { name: 'gpu_busy_percent', labels: ['card'] },
  gpuTemperature: { name: 'gpu_temperature_celsius', labels: ['card'] },
  gpuPower: { name: 'gpu_power_watts', labels: ['card'] },
} as const;

/** Values of `api_auth_failures_total`'s `reason` label. */
export const AUTH_FAILURE_REASONS = ['missing', 'malformed', 'invalid'] as const;

/** Values of `models_loaded_total`'s `status` label. */
export const MODEL_LOAD_STATUS = ['success', 'failed'] as const;
