import { InferenceError } from '../../inference/inference-errors';
import { ConsoleError } from '../../stack/console-error';

/** The inference service's own errors pass on as the console's, its sentence and status intact. */
export const asConsoleError = (err: unknown): unknown => (err instanceof InferenceError ? new ConsoleError(err.code, err.message, err.status) : err);
