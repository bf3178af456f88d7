import type { RequestHandler, Request, Response } from "express";
import {
  createReadableStreamFromReadable,
  createRequestHandler as createNodeHandler,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";

// Remix's Express adapter (@remix-run/express 2.17) with one change: a response body is written
// with backpressure. The adapter writes each chunk as soon as it is read, whatever the socket
// can take, so a large streamed download (an audit export: hundreds of MB) to a slow client
// would pile up in memory. Here the next chunk is read only once the socket has taken the
// previous one (`drain`), and the body is cancelled as soon as the client goes away.

interface HandlerOptions {
  build: ServerBuild | (() => Promise<ServerBuild>);
  getLoadContext: (request: Request, response: Response) => AppLoadContext;
  mode: string;
}

/** The request Remix sees (URL, headers, body, aborted on disconnect), as the adapter makes it. */
function remixRequest(req: Request, res: Response): globalThis.Request {
  // req.hostname has no port: take it from X-Forwarded-Host or Host.
  const portOf = (host: string | undefined) => Number.parseInt(host?.split(":")[1] ?? "", 10);
  const forwardedPort = portOf(req.get("X-Forwarded-Host"));
  const hostPort = portOf(req.get("host"));
  const port = Number.isSafeInteger(forwardedPort)
    ? forwardedPort
    : Number.isSafeInteger(hostPort)
      ? hostPort
      : "";
  const url = new URL(
    `${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`,
  );

  // Abort loaders and actions once the response can no longer be written.
  const controller = new AbortController();
  let answered = false;
  res.on("finish", () => {
    answered = true;
  });
  res.on("close", () => {
    if (!answered) controller.abort();
  });

  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (values === undefined) continue;
    for (const value of Array.isArray(values) ? values : [values]) headers.append(key, value);
  }
  const init: RequestInit & { duplex?: "half" } = {
    method: req.method,
    headers,
    signal: controller.signal,
  };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  return new globalThis.Request(url.href, init);
}

/** Resolves true when the socket can take more, false when the client went away. */
function writable(res: Response): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (more: boolean) => {
      res.off("drain", onDrain);
      res.off("close", onClose);
      resolve(more);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on("drain", onDrain);
    res.on("close", onClose);
  });
}

async function sendResponse(res: Response, response: globalThis.Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  // compression() adds flush(): streamed HTML (deferred data) must not wait in its buffer.
  const flushable = res as Response & { flush?: () => void };
  try {
    for (;;) {
      if (res.destroyed) {
        await reader.cancel(new Error("the client went away"));
        return;
      }
      const { done, value } = await reader.read();
      if (done) break;
      const more = res.write(value);
      flushable.flush?.();
      if (!more && (res.destroyed || !(await writable(res)))) {
        await reader.cancel(new Error("the client went away"));
        return;
      }
    }
    res.end();
  } catch (error) {
    res.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

export function createRequestHandler(options: HandlerOptions): RequestHandler {
  const handleRequest = createNodeHandler(options.build, options.mode);
  return async (req, res, next) => {
    try {
      const request = remixRequest(req, res);
      const response = await handleRequest(request, options.getLoadContext(req, res));
      await sendResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}
