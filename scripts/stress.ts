// `npm run test:stress`: `npm test` five times in a row with four CPU-burning processes beside it,
// as on a busy CI machine. Any red run fails the whole; the summary says which and how long each took.
import { spawn, type ChildProcess } from "node:child_process";

const runs = Number(process.env.STRESS_RUNS ?? 5);
const burners = Number(process.env.STRESS_BURNERS ?? 4);

const burning: ChildProcess[] = Array.from({ length: burners }, () =>
  spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }),
);
const stopBurning = () => burning.forEach((child) => child.kill("SIGKILL"));
process.once("exit", stopBurning);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

const results: { run: number; ok: boolean; seconds: number }[] = [];
for (let run = 1; run <= runs; run++) {
  const started = Date.now();
  console.log(`\n── stress run ${run}/${runs} (npm test, ${burners} CPU burners beside it) ──`);
  const code = await new Promise<number>((resolve) => {
    spawn("npm", ["test"], { stdio: "inherit" }).once("exit", (exitCode) => resolve(exitCode ?? 1));
  });
  results.push({ run, ok: code === 0, seconds: Math.round((Date.now() - started) / 100) / 10 });
}
stopBurning();

console.log(`\nstress: npm test ×${runs} with ${burners} CPU burners`);
for (const { run, ok, seconds } of results) console.log(`  run ${run}: ${ok ? "passed" : "FAILED"} in ${seconds} s`);
const failed = results.filter((r) => !r.ok).length;
console.log(failed ? `${failed} of ${runs} runs failed` : `all ${runs} runs passed`);
process.exitCode = failed ? 1 : 0;
