// `npm run lint`: redocly lint on every API in redocly.yaml (recommended-strict: a warning fails too).
import { redocly } from "./redocly.js";

process.exit(await redocly(["lint", "--max-problems=1000", ...process.argv.slice(2)]));
