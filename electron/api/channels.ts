/** IPC channel names, kept free of imports so the sandboxed preload bundle stays tiny. */
export const IPC_INVOKE_CHANNEL = 'rx580-ops:invoke';
export const IPC_EVENT_CHANNEL = 'rx580-ops:event';
/** Name of the object the preload exposes on `window`. */
export const BRIDGE_GLOBAL = 'rx580Ops';
