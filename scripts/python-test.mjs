// The Python side of `npm test`: makes the project-local virtual environment (.venv) if it is missing,
// installs python/ with its test extras when pyproject.toml changed, then runs ruff (format and lint) and
// pytest against the built engine (dist-lib). pytest writes reports/pytest.xml for the closing line.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";

const python = process.env.PYTHON ?? "python3";
const venvPy = ".venv/bin/python";
const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit" });

try {
  execFileSync(python, ["-c", "import sys; assert sys.version_info >= (3, 11)"], { stdio: "ignore" });
} catch {
  console.error(`python-test: ${python} is missing or older than 3.11; install Python 3.11+ or set PYTHON`);
  process.exit(1);
}
if (!existsSync(venvPy)) {
  console.log("python-test: creating .venv");
  run(python, ["-m", "venv", ".venv"]);
}
const stamp = ".venv/.function-quest-installed";
const want = createHash("sha256").update(readFileSync("python/pyproject.toml")).digest("hex");
if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== want) {
  console.log("python-test: installing python/ with its test extras into .venv");
  run(venvPy, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", "python[test]"]);
  writeFileSync(stamp, want);
}
run(venvPy, ["-m", "ruff", "format", "--check", "python"]);
run(venvPy, ["-m", "ruff", "check", "python"]);
mkdirSync("reports", { recursive: true });
try {
  run(venvPy, ["-m", "pytest", "python", "-q", "-p", "no:cacheprovider", "--junitxml=reports/pytest.xml"]);
} catch {
  // Failures are counted from the report by the closing line; a run that wrote no report failed outright.
  if (!existsSync("reports/pytest.xml")) process.exit(1);
}
