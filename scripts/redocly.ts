// Runs the Redocly CLI with the network kept out of it (no telemetry, no update check).
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** One provider's spec, as written in openapi/<provider>.yaml. */
export async function readSpec<Spec = object>(provider: string): Promise<Spec> {
  return parse(await readFile(join(root, "openapi", `${provider}.yaml`), "utf8")) as Spec;
}

const cli = join(dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")), "bin/cli.js");

/** Resolves with the exit code; `quiet` swallows the output unless the command fails. */
export function redocly(args: string[], { quiet = false } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: root,
      stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    });
    const output: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0 && quiet) process.stderr.write(Buffer.concat(output));
      resolve(code ?? 1);
    });
  });
}

/** Like `redocly`, but throws when the command fails. */
export async function mustRedocly(args: string[], options?: { quiet?: boolean }): Promise<void> {
  const code = await redocly(args, options);
  if (code !== 0) throw new Error(`redocly ${args.join(" ")} failed with exit code ${code}`);
}
