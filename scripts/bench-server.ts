// The loopback server of `npm run bench`, in a process of its own so that its work is not counted
// in the clients' CPU time nor competes with them on the event loop. It answers every request with
// the seed's 201 body of the provider the path belongs to, and prints its port.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { paddleCreated, paypalCreated } from "./bench-bodies.js";

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const body = req.url?.includes("/v1/commerce/billing/customers") ? paypalCreated : paddleCreated;
    res.writeHead(201, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log((server.address() as AddressInfo).port));
process.on("disconnect", () => process.exit(0));
