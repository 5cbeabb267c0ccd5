"""Steps per second seen from Python (run by `npm run bench:rl`): a single env through `gym.make`, the vector
env with 1, 4, 16 and 64 envs, and the engine alone in Node, on the largest level. Random legal actions, the
mask read every step; each figure is the median of 3 rounds. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import time

import gymnasium as gym
import numpy as np

from . import env_id
from ._engine import cli_path

NODE_ALONE = """
import { createEnv } from "%s";
import { getLevel } from "%s";
const env = createEnv({ level: getLevel("%s"), seed: 1 });
let x = 7; const pick = (n) => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x %% n; };
const legal = new Int32Array(env.actionSpace.n);
let r = env.fastReset(1), steps = 0; const t = performance.now();
while (performance.now() - t < 1500) {
  let k = 0; for (let i = 0; i < r.mask.length; i++) if (r.mask[i]) legal[k++] = i;
  r = (k === 0 || r.terminated || r.truncated) ? env.fastReset() : env.fastStep(legal[pick(k)]); steps++;
}
console.log(steps / ((performance.now() - t) / 1000));
"""


def single(level: str, seconds: float) -> float:
    env = gym.make(env_id(level))
    rng = np.random.default_rng(0)
    _obs, info = env.reset(seed=0)
    n, t = 0, time.perf_counter()
    while time.perf_counter() - t < seconds:
        legal = np.flatnonzero(info["action_mask"])
        # Indexing with integers(): Generator.choice costs ~15 µs on small arrays, as much as the env step.
        _, _, te, tr, info = env.step(int(legal[rng.integers(legal.size)]) if legal.size else 0)
        n += 1
        if te or tr:
            _obs, info = env.reset()
    env.close()
    return n / (time.perf_counter() - t)


def vector(level: str, num_envs: int, seconds: float) -> float:
    v = gym.make_vec(env_id(level), num_envs=num_envs, vectorization_mode="vector_entry_point")
    rng = np.random.default_rng(0)
    _obs, info = v.reset(seed=0)
    n, t = 0, time.perf_counter()
    while time.perf_counter() - t < seconds:
        m = info["action_mask"].astype(bool)
        # A random legal action per sub-env: random scores, masked, argmax.
        acts = np.where(m, rng.random(m.shape), -1.0).argmax(axis=1)
        _, _, _, _, info = v.step(acts)
        n += num_envs
    v.close()
    return n / (time.perf_counter() - t)


def node_alone(level: str) -> float:
    lib = cli_path().parents[1]
    script = NODE_ALONE % (lib / "engine" / "index.js", lib / "levels" / "index.js", level)
    out = subprocess.run(["node", "--input-type=module", "-e", script], check=True, capture_output=True, text=True)
    return float(out.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m function_quest.bench", description=__doc__.split("\n")[0])
    p.add_argument("--level", default="the-flood-defences")
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)

    def rounds(f):
        xs = [f() for _ in range(3)]
        return {"median": statistics.median(xs), "min": min(xs), "max": max(xs)}

    res = {"node_alone": rounds(lambda: node_alone(a.level)), "single_env": rounds(lambda: single(a.level, a.seconds))}
    for n in (1, 4, 16, 64):
        res[f"vector_{n}"] = rounds(lambda n=n: vector(a.level, n, a.seconds))
    if a.json:
        print(json.dumps(res))
        return 0

    def show(r):
        return f"{r['median']:>10,.0f} steps/s ({r['min']:,.0f}-{r['max']:,.0f})"

    print(f"Function Quest from Python, {a.level}: random legal actions, the mask read every step (median of 3)")
    print(f"  engine alone in Node (fastStep)   {show(res['node_alone'])}")
    print(f"  single env through gym.make       {show(res['single_env'])}   floor 10,000")
    for n in (1, 4, 16, 64):
        floor = "   floor 50,000" if n == 16 else ""
        print(f"  vector env, {n:>2} envs               {show(res[f'vector_{n}'])}{floor}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
