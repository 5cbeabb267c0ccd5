// `npm run bench:rl`: steps per second from Python (python/function_quest/bench.py), beside the engine alone.
import { execFileSync } from "node:child_process";
import { ensureVenv, VENV_PYTHON } from "./python-env.mjs";

ensureVenv();
execFileSync(VENV_PYTHON, ["-m", "function_quest.bench", ...process.argv.slice(2)], { stdio: "inherit" });
