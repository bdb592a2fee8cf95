import { BRIDGE_GLOBAL } from '../../../electron/api/channels';
import type { ApiResponse } from '../../../electron/api/contract';

/** How the renderer reaches the main process; the rest of the renderer never knows which one. */
export interface ApiTransport {
  kind: 'ipc' | 'http';
  invoke(method: string, args: unknown[]): Promise<ApiResponse>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

/** What the desktop app's preload puts on `window`. */
export interface PreloadBridge {
  invoke(method: string, args: unknown[]): Promise<ApiResponse>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    [BRIDGE_GLOBAL]?: PreloadBridge;
  }
}

function ipcTransport(bridge: PreloadBridge): ApiTransport {
  return { kind: 'ipc', invoke: (m, a) => bridge.invoke(m, a), subscribe: (e, l) => bridge.subscribe(e, l) };
}

/** The web mode: JSON over HTTP, events over SSE, authorised by the same-site cookie. */
function httpTransport(): ApiTransport {
  let source: EventSource | null = null;
  let listeners = 0;
  return {
    kind: 'http',
    async invoke(method, args) {
      const res = await fetch(`./api/invoke/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ args }),
        credentials: 'same-origin',
      });
      try {
        return (await res.json()) as ApiResponse;
      } catch {
        return { ok: false, error: { code: `HTTP_${res.status}`, message: `The console answered ${res.status} ${res.statusText}.` } };
      }
    },
    subscribe(event, listener) {
      source ??= new EventSource('./api/events');
      listeners++;
      const handler = (e: MessageEvent<string>) => listener(JSON.parse(e.data));
      source.addEventListener(event, handler);
      return () => {
        source?.removeEventListener(event, handler);
        if (--listeners === 0) {
          source?.close();
          source = null;
        }
      };
    },
  };
}

export function pickTransport(win: Window = window): ApiTransport {
  const bridge = win[BRIDGE_GLOBAL];
  return bridge ? ipcTransport(bridge) : httpTransport();
}
