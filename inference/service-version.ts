import pkg from './package.json' with { type: 'json' };

/** The service's own version (inference/package.json): it is built and shipped as its own image. */
export const SERVICE_VERSION: string = pkg.version;
