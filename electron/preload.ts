import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_GLOBAL, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './api/channels';

// Only forwards calls: validation and all logic live in the main process.
contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, {
  invoke: (method: string, args: unknown[]) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, args),
  subscribe: (event: string, listener: (payload: unknown) => void) => {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
  },
});
