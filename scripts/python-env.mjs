// The project-local Python environment (.venv) with python/ installed in it, made on demand: used by the test
// command (scripts/python-test.mjs) and the RL benchmark (scripts/bench-rl.mjs).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export const VENV_PYTHON = ".venv/bin/python";

/** Makes .venv if it is missing and installs python/ with its test extras when pyproject.toml changed. */
export function ensureVenv() {
  const python = process.env.PYTHON ?? "python3";
  const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit" });
  try {
    execFileSync(python, ["-c", "import sys; assert sys.version_info >= (3, 11)"], { stdio: "ignore" });
  } catch {
    console.error(`python: ${python} is missing or older than 3.11; install Python 3.11+ or set PYTHON`);
    process.exit(1);
  }
  if (!existsSync(VENV_PYTHON)) {
    console.log("python: creating .venv");
    run(python, ["-m", "venv", ".venv"]);
  }
  const stamp = ".venv/.function-quest-installed";
  const want = createHash("sha256").update(readFileSync("python/pyproject.toml")).digest("hex");
  if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== want) {
    console.log(
      "python: installing python/ with its test extras into .venv (torch, sb3-contrib, minari, ray)",
    );
    // torch first, by its exact pin: this machine's CPU build, so nothing else pulls a CUDA build.
    run(VENV_PYTHON, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "torch==2.13.0"]);
    run(VENV_PYTHON, [
      "-m",
      "pip",
      "install",
      "--quiet",
      "--disable-pip-version-check",
      "-e",
      "python[test]",
    ]);
    writeFileSync(stamp, want);
  }
}
