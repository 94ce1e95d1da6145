// `npm run docs`: the contract site in dist/docs/ — a landing page, a Redoc reference per provider
// (self-contained: scripts and styles inlined, nothing loaded from elsewhere), the bundled specs.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { bundleSpecs } from "./bundle.js";
import { mockPortSettings, providers, type Provider } from "./mock-server.js";
import { mustRedocly, readSpec, root } from "./redocly.js";

interface Operation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  "x-codeSamples"?: { lang: string; label: string; source: string }[];
}
interface Spec {
  info: { title: string; summary: string; description: string };
  servers: { url: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
}

export async function buildDocs(outDir: string): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(join(outDir, "openapi"), { recursive: true });
  await Promise.all([
    ...providers.map((provider) => referencePage(provider, join(outDir, `${provider}.html`))),
    bundleSpecs(join(outDir, "openapi")),
    landingPage(outDir),
  ]);
}

/** Redoc's "API docs by Redocly" badge loads its logo from a CDN; the page must load nothing from elsewhere. */
const offlineLogo = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="14"><text x="0" y="11" font-family="sans-serif" font-size="11">Redocly</text></svg>',
)}`;

/** Without an icon of its own, a browser asks the server for /favicon.ico: one more request, one more 404. */
const noFavicon = '<link rel="icon" href="data:,">';

/**
 * The sample panel is ~400 px wide at 1280 px, and Redoc scrolls long lines out of sight: a reader
 * would see half a curl command. Long lines wrap instead (the copy button still copies them whole).
 */
const wrapSamples = `<style>
    pre[data-component-name="CodeBlock/CodeBlockContainer"] { white-space: pre-wrap !important; overflow-wrap: anywhere; }
  </style>`;

async function referencePage(provider: Provider, output: string): Promise<void> {
  await mustRedocly(["build-docs", provider, "--inlineBundle", "--output", output], { quiet: true });
  const html = (await readFile(output, "utf8"))
    .replace(/https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg/g, offlineLogo)
    .replace("<head>", `<head>\n  ${noFavicon}\n  ${wrapSamples}`);
  // Anything else a page would fetch from a CDN is a build error, not a silent request at view time.
  const remote = /(?:src|href)\s*[=:]\s*[`"'](https?:\/\/cdn[^`"']*)/.exec(html);
  if (remote) throw new Error(`${output} would load ${remote[1]} from the network`);
  await writeFile(output, html);
}

const escape = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
/** The first paragraph of a Markdown description, as HTML with `code` kept. */
const paragraph = (markdown: string) =>
  escape(markdown.trim().split(/\n\s*\n/)[0]!.replace(/\s+/g, " ")).replace(/`([^`]+)`/g, "<code>$1</code>");

async function landingPage(outDir: string): Promise<void> {
  const sections = await Promise.all(
    providers.map(async (provider) => {
      const spec = await readSpec<Spec>(provider);
      // A path item also holds `parameters` shared by its operations: only the HTTP methods are operations.
      const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
        Object.entries(methods)
          .filter(([method]) => ["get", "put", "post", "patch", "delete"].includes(method))
          .map(([method, op]) => ({ path, method, op })),
      );
      const { variable, port } = mockPortSettings[provider];
      return `
  <section id="${provider}">
    <h2>${escape(spec.info.title)}</h2>
    <p>${paragraph(spec.info.summary)}</p>
    <ul class="links">
      <li><a href="${provider}.html">API reference</a></li>
      <li>Spec: <a href="openapi/${provider}.yaml" download>${provider}.yaml</a> · <a href="openapi/${provider}.json" download>${provider}.json</a></li>
      <li>Servers: ${spec.servers.map((s) => `<code>${escape(s.url)}</code> (${escape(s.description.split(".")[0]!)})`).join(", ")}</li>
      <li>Mock: <code>http://127.0.0.1:${port}</code> (<code>npm run mock</code>; port from <code>${variable}</code>)</li>
    </ul>
    ${operations
      .map(
        ({ path, method, op }) => `
    <article>
      <h3><a href="${provider}.html#tag/${encodeURIComponent(op.tags[0]!)}/operation/${op.operationId}">${escape(op.summary)}</a></h3>
      <p><code class="method">${method.toUpperCase()} ${escape(path)}</code></p>
      <p>${paragraph(op.description)}</p>
      ${(op["x-codeSamples"] ?? [])
        .map((sample) => `<details${sample.lang === "TypeScript" ? " open" : ""}><summary>${escape(sample.label)}</summary><pre><code>${escape(sample.source)}</code></pre></details>`)
        .join("\n      ")}
    </article>`,
      )
      .join("")}
  </section>`;
    }),
  );
  const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { name: string; version: string };
  await writeFile(
    join(outDir, "index.html"),
    `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  ${noFavicon}
  <title>Customer APIs: Paddle and PayPal — contract reference</title>
  <style>
    body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
    code, pre { font-family: ui-monospace, monospace; font-size: 0.9em; }
    pre { background: #f5f5f7; padding: 1rem; overflow-x: auto; border-radius: 6px; }
    section { border-top: 1px solid #ddd; margin-top: 2rem; }
    .method { background: #eef; padding: 0.1rem 0.4rem; border-radius: 4px; }
    .links li { margin: 0.2rem 0; }
    header { border-bottom: 1px solid #ddd; padding-bottom: 1rem; }
    dl.jobs dt { font-weight: 600; margin-top: 0.8rem; }
    dl.jobs dd { margin-left: 1.2rem; }
  </style>
</head>
<body>
  <header>
    <h1>Customer APIs: Paddle and PayPal</h1>
    <p>The contract for the customers of Paddle Billing and of PayPal's usage-based billing:
    hand-written OpenAPI 3.1 specs, a typed client for each provider (<code>${escape(pkg.name)}</code> ${escape(pkg.version)}),
    and mock servers built from the same specs. Every operation below links to its full reference,
    with a TypeScript and a curl sample; the specs can be downloaded bundled, as YAML or JSON.</p>
    <nav><a href="#which">Which part for which job</a> · <a href="#install">Install and run</a> · <a href="#paddle">Paddle</a> · <a href="#paypal">PayPal</a></nav>
  </header>
  <h2 id="which">Which part for which job</h2>
  <dl class="jobs">
    <dt>A frontend</dt>
    <dd>The typed client in the browser, with <code>baseUrl</code> pointing at your own backend, which adds the
    credentials: no secret in the page (the clients refuse one there). <code>validateRequests: paddleRequestValidators</code> checks
    a form by the spec's rules before sending; <code>firstMessageByField(error)</code> gives one message per field.
    <code>examples/frontend</code> in the repository is such a page, with its backend (<code>npm run example</code>).</dd>
    <dt>A backend</dt>
    <dd>The client with your credentials and <code>environment: "sandbox" | "production"</code>: retries that never
    create twice (PayPal's <code>PayPal-Request-Id</code>, Paddle's unique email), per-attempt timeouts, typed
    errors that carry no secret.</dd>
    <dt>Reading the contract, or building against it</dt>
    <dd>The references below and the bundled specs; the mocks (<code>npm run mock</code>) accept what the APIs
    accept, refuse what they refuse, and remember what you create.</dd>
  </dl>
  <h2 id="install">Install and run</h2>
  <pre><code># in a checkout of this project
npm install &amp;&amp; npm run tarball   # → payments-contracts-customers-${escape(pkg.version)}.tgz
# in your project
npm install ../payments-contracts/payments-contracts-customers-${escape(pkg.version)}.tgz

# the mocks and these docs, from the checkout
npm start                     # Paddle mock on :4010, PayPal mock on :4011, these docs on :4000
npm run mock                  # only the mocks</code></pre>
  <p>Point a client at a mock with <code>baseUrl</code>: <code>createPaddleClient({ baseUrl: "http://127.0.0.1:4010", apiKey: "pdl_sdbx_apikey_test" })</code>.
  Ask a mock for a documented error with the header <code>Prefer: code=409</code>.</p>
  ${sections.join("\n")}
</body>
</html>
`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outDir = process.argv[2] ?? join(root, "dist/docs");
  await buildDocs(outDir);
  console.log(`docs → ${outDir}/index.html`);
}
