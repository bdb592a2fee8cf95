import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { ApiErrorBody, ApiEventSource, ApiHandlers } from '../api/contract';
import { CONTENT_SECURITY_POLICY_HEADER } from '../core/content-security-policy';
import { dispatchApiCall } from '../core/dispatch';

export interface WebBridgeOptions {
  handlers: ApiHandlers;
  events: ApiEventSource;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  token?: string;
  /** Interval of SSE keep-alive comments, so proxies and browsers keep the stream open. */
  heartbeatMs?: number;
}

export interface WebBridge {
  /** Base URL, without the token. */
  url: string;
  /** The URL to open: it carries the token once and trades it for a cookie. */
  openUrl: string;
  token: string;
  close(): Promise<void>;
}

export const TOKEN_COOKIE = 'rx580_ops_token';
const HOST = '127.0.0.1';

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sendError(reply: FastifyReply, status: number, error: ApiErrorBody): FastifyReply {
  return reply.code(status).type('application/json').send({ ok: false, error });
}

/**
 * The headless web mode: serves the built renderer and the API contract over HTTP on
 * 127.0.0.1 only, with events as Server-Sent Events. Every API request must carry the token
 * (bearer header, or the cookie set when the printed URL is opened); the Host header must name
 * this server, which defeats DNS rebinding.
 */
export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024, forceCloseConnections: true });
  let allowedHosts: Set<string> = new Set();

  await app.register(fastifyCookie);

  app.addHook('onRequest', async (req, reply) => {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      return sendError(reply, 403, { code: 'BAD_HOST', message: 'This console only answers requests addressed to 127.0.0.1 or localhost.' });
    }
    if (req.url.startsWith('/api/')) {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!sameToken(bearer ?? req.cookies[TOKEN_COOKIE], token)) {
        return sendError(reply, 401, {
          code: 'UNAUTHORIZED',
          message: 'Missing or wrong access token: open the URL that `rx580-ops serve` printed.',
        });
      }
    }
  });

  // The same policy the desktop window enforces, for every page and asset this server sends.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY_HEADER);
    reply.header('x-content-type-options', 'nosniff');
  });

  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    const message = status === 500 ? 'The request failed unexpectedly.' : err.message;
    return sendError(reply, status, { code: status === 500 ? 'INTERNAL' : 'BAD_REQUEST', message });
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) return sendError(reply, 404, { code: 'NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0]}` });
    // Client-side routes fall back to the app shell.
    return reply.sendFile('index.html');
  });

  app.post<{ Params: { method: string }; Body: unknown }>('/api/invoke/:method', async (req, reply) => {
    const body = req.body as { args?: unknown } | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return sendError(reply, 400, { code: 'BAD_REQUEST', message: 'The body must be a JSON object like {"args": [...]}.' });
    }
    const { status, body: response } = await dispatchApiCall(options.handlers, req.params.method, body.args ?? []);
    return reply.code(status).send(response);
  });

  app.get('/api/events', (req: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const unsubscribe = options.events.subscribe((event, payload) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
    req.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });

  // Opening the printed URL trades the token in the query for an HttpOnly, same-site cookie and
  // drops it from the address bar.
  app.get<{ Querystring: { token?: string } }>('/', async (req, reply) => {
    if (req.query.token !== undefined) {
      if (!sameToken(req.query.token, token)) {
        return reply.code(401).type('text/plain').send('Wrong access token: open the URL that `rx580-ops serve` printed.');
      }
      reply.setCookie(TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/' });
      return reply.redirect('/', 303);
    }
    return reply.sendFile('index.html');
  });

  if (!existsSync(options.rendererDir)) {
    throw new Error(`The renderer is not built (${options.rendererDir} is missing): run \`npm run build\` first.`);
  }
  await app.register(fastifyStatic, { root: options.rendererDir, index: false, wildcard: true });

  await app.listen({ host: HOST, port: options.port });
  const { port } = app.server.address() as { port: number };
  allowedHosts = new Set([`${HOST}:${port}`, `localhost:${port}`]);
  const url = `http://${HOST}:${port}`;
  return {
    url,
    openUrl: `${url}/?token=${token}`,
    token,
    close: async () => {
      await app.close();
    },
  };
}
