/**
 * Listens and shuts down gracefully: on close, stop accepting, let in-flight requests finish (up to a
 * grace period), then release the services (Redis connections).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";

export interface RunningServer {
  readonly server: Server;
  readonly url: string;
  /** Resolves once every connection is closed (or the grace period forced them). */
  close(graceMs: number): Promise<void>;
}

export function listen(app: Express, port: number, host: string): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let closing = false;
    const server = createServer((req, res) => {
      if (closing) {
        // A keep-alive client would go on sending on its open connection for the whole grace period
        // and then be cut mid-request: each answer now closes its connection, and readiness says so.
        res.setHeader("connection", "close");
        if (req.url === "/readyz") {
          res.writeHead(503, { "content-type": "application/json" }).end('{"status":"stopping"}');
          return;
        }
      }
      app(req, res);
    });
    server.listen(port, host, () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({
        server,
        url: `http://${host.includes(":") ? `[${host}]` : host}:${actual}`,
        close: (graceMs) =>
          new Promise<void>((done) => {
            closing = true;
            const force = setTimeout(() => server.closeAllConnections(), graceMs);
            force.unref();
            server.close(() => {
              clearTimeout(force);
              done();
            });
            // Idle keep-alive sockets would hold close() open; busy ones finish their request first.
            server.closeIdleConnections();
          }),
      });
    });
    server.once("error", reject);
  });
}
