import { InferenceError } from '../inference-errors';

/** A tensor the request sent that cannot be fed as it is: a 400 whose sentence says what is wrong. */
export const invalidInput = (message: string) => new InferenceError('INVALID_INPUT', message, 400);
