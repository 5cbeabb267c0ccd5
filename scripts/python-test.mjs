// The Python side of `npm test`: the project-local .venv (made and filled on demand by python-env.mjs), then
// ruff (format and lint) and pytest against the built engine (dist-lib). pytest writes reports/pytest.xml,
// which the closing line counts.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { ensureVenv, VENV_PYTHON } from "./python-env.mjs";

const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit" });
ensureVenv();
run(VENV_PYTHON, ["-m", "ruff", "format", "--check", "python"]);
run(VENV_PYTHON, ["-m", "ruff", "check", "python"]);
mkdirSync("reports", { recursive: true });
try {
  run(VENV_PYTHON, [
    "-m",
    "pytest",
    "python",
    "-q",
    "-p",
    "no:cacheprovider",
    "--junitxml=reports/pytest.xml",
  ]);
} catch {
  // Failures are counted from the report by the closing line; a run that wrote no report failed outright.
  if (!existsSync("reports/pytest.xml")) process.exit(1);
}
