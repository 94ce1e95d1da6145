// A small static file server on 127.0.0.1 for the docs site (npm start, browser tests).
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".yaml": "application/yaml; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".map": "application/json; charset=utf-8",
};

export interface StaticServer {
  url: string;
  stop(): Promise<void>;
}

const isFile = (path: string) => stat(path).then((s) => s.isFile(), () => false);
const isFolder = (path: string) => stat(path).then((s) => s.isDirectory(), () => false);
const escape = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

function listing(path: string, names: string[]): string {
  const items = names.map((name) => `<li><a href="${escape(encodeURIComponent(name))}">${escape(name)}</a></li>`).join("\n");
  return `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>${escape(path)}</title>
<h1>${escape(path)}</h1>
<ul>
${items}
</ul>
`;
}

export async function serveDirectory(dir: string, port = 0): Promise<StaticServer> {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = normalize(join(dir, path.endsWith("/") ? `${path}index.html` : path));
    const folder = normalize(join(dir, path));
    // A folder without an index.html (the specs under /openapi/) gets a list of its files.
    if (path.endsWith("/") && folder.startsWith(normalize(dir + sep)) && !(await isFile(file)) && (await isFolder(folder))) {
      const names = (await readdir(folder, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(listing(path, names));
      return;
    }
    if (!file.startsWith(normalize(dir + sep)) || !(await isFile(file))) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
