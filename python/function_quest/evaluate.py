"""Evaluates agents on every level: mean ± std of the final score and the tiers reached, over N seeds.

python -m function_quest.evaluate --episodes 20 --agents random greedy optimal
python -m function_quest.evaluate --agents ppo --model runs/ppo-escape-the-room/model.zip --levels escape-the-room
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np

from ._engine import describe
from .agents import Agent, GreedyAgent, OptimalAgent, RandomAgent, play_episode
from .env import FunctionQuestEnv

__all__ = ["evaluate", "main"]


def evaluate(agent_factory: Callable[[], Agent], level: str, episodes: int, seed0: int = 1000) -> dict[str, Any]:
    """Plays `episodes` episodes (seeds seed0, seed0+1, ...) and summarises them."""
    env = FunctionQuestEnv(level)
    try:
        runs = [play_episode(env, agent_factory(), seed0 + k) for k in range(episodes)]
    finally:
        env.close()
    scores = np.array([r["score"] for r in runs], dtype=float)
    return {
        "level": level,
        "episodes": episodes,
        "mean": float(scores.mean()),
        "std": float(scores.std()),
        "tiers": dict(Counter(r["tier"] for r in runs)),
        "steps": float(np.mean([r["steps"] for r in runs])),
    }


AGENTS: dict[str, Callable[[argparse.Namespace], Callable[[], Agent]]] = {
    "random": lambda a: lambda: RandomAgent(a.seed),
    "greedy": lambda a: GreedyAgent,
    "optimal": lambda a: OptimalAgent,
}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m function_quest.evaluate", description=__doc__.split("\n")[0])
    p.add_argument("--agents", nargs="+", default=["random", "greedy", "optimal"], help="random, greedy, optimal, ppo")
    p.add_argument("--levels", nargs="+", default=None, help="level ids (default: every level)")
    p.add_argument("--episodes", type=int, default=20, help="seeds per level and agent")
    p.add_argument("--seed", type=int, default=0, help="the random agent's seed")
    p.add_argument("--model", default=None, help="a MaskablePPO model (.zip) for the ppo agent")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    a = p.parse_args(argv)
    if a.episodes < 1:
        p.error(f"--episodes must be at least 1, got {a.episodes}")
    levels = a.levels or [lv["id"] for lv in describe()["levels"]]
    factories: dict[str, Callable[[], Agent]] = {}
    for name in a.agents:
        if name == "ppo":
            if not a.model:
                p.error("--agents ppo needs --model PATH")
            from .train import PolicyAgent  # torch is an optional extra: load it only when asked

            factories[name] = lambda: PolicyAgent.load(a.model)
        elif name in AGENTS:
            factories[name] = AGENTS[name](a)
        else:
            p.error(f"unknown agent {name!r}: random, greedy, optimal or ppo")
    rows = [{"agent": n, **evaluate(f, lv, a.episodes)} for lv in levels for n, f in factories.items()]
    if a.json:
        json.dump(rows, sys.stdout, indent=2)
        print()
        return 0
    print(f"{'level':28} {'agent':8} {'score':>15}  tiers")
    for r in rows:
        tiers = ", ".join(f"{k} {v}" for k, v in sorted(r["tiers"].items()))
        print(f"{r['level']:28} {r['agent']:8} {r['mean']:7.1f} ± {r['std']:5.1f}  {tiers}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
