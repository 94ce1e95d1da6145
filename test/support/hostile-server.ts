// A scriptable HTTP server on 127.0.0.1 that answers as a hostile or broken API would: echoing
// credentials, redirecting, hanging, streaming without end, cutting bodies off. Each test gives it
// a handler; it records every request it received, with its headers and body.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Handler = (request: Received, res: ServerResponse, req: IncomingMessage) => void | Promise<void>;

export interface HostileServer {
  url: string;
  received: Received[];
  /** Requests received on `path`. */
  on(path: string): Received[];
  close(): Promise<void>;
}

export async function startHostileServer(handler: Handler): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: Received = {
      method: req.method ?? "GET",
      path: new URL(req.url ?? "/", "http://x").pathname,
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    };
    received.push(request);
    try {
      await handler(request, res, req);
    } catch {
      req.socket.destroy();
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    on: (path) => received.filter((r) => r.path === path),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Writes a JSON answer. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** A Paddle customer as the API returns it. */
export const paddleCustomer = {
  data: {
    id: "ctm_01h8441jn5pcwrfhwh78jqt8hk",
    name: null,
    email: "jo@example.com",
    status: "active",
    custom_data: null,
    locale: "en",
    marketing_consent: false,
    import_meta: null,
    created_at: "2026-12-03T10:00:00.000Z",
    updated_at: "2026-12-03T10:00:00.000Z",
  },
  meta: { request_id: "b15ec92e-8688-40d4-a04d-af6e0e3ba3a3" },
};

/** A PayPal customer as the API returns it. */
export const paypalCustomer = { id: "cust_1", external_id: "ext_cust_12345", name: "John Doe", email: "abc@test.com" };

/** A PayPal token answer. */
export const tokenAnswer = (token: string, expiresIn = 32_400) => ({
  scope: "https://uri.paypal.com/services/billing",
  access_token: token,
  token_type: "Bearer",
  app_id: "APP-80W284485P519543T",
  expires_in: expiresIn,
  nonce: "2026-12-03T10:00:00ZTnonce",
});

export const tokenPath = "/v1/oauth2/token";
export const paypalCreatePath = "/v1/commerce/billing/customers";
export const paddleCreatePath = "/customers";
