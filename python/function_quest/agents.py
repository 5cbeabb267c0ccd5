"""Baseline agents, through the public API only: random (masked), greedy and the solver's optimum.

Greedy and optimal ask the engine: the greedy choice is the engine's (`greedyChoice`: shortest remaining
critical path, then work done, then points), and the optimum is the engine's exact solver for the episode's
level and seed (the engine is deterministic, so its plan is the best play of that episode).
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from .env import FunctionQuestEnv

__all__ = ["Agent", "GreedyAgent", "OptimalAgent", "RandomAgent", "play_episode"]


class Agent(Protocol):
    name: str

    def begin(self, env: FunctionQuestEnv, info: dict[str, Any]) -> None: ...

    def act(self, obs: np.ndarray, info: dict[str, Any]) -> int: ...


class RandomAgent:
    """Uniform over the legal actions (the mask), from its own seeded generator."""

    name = "random"

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.rng = np.random.default_rng(seed)

    def begin(self, env: FunctionQuestEnv, info: dict[str, Any]) -> None:
        # Its own stream per episode, from its seed and the episode's: reproducible, and not the env's.
        self.rng = np.random.default_rng([self.seed, info["seed"]])

    def act(self, obs: np.ndarray, info: dict[str, Any]) -> int:
        legal = np.flatnonzero(info["action_mask"])
        return int(self.rng.choice(legal)) if legal.size else 0


class GreedyAgent:
    """The engine's greedy choice at every step."""

    name = "greedy"

    def begin(self, env: FunctionQuestEnv, info: dict[str, Any]) -> None:
        self.env = env

    def act(self, obs: np.ndarray, info: dict[str, Any]) -> int:
        a = self.env._engine.greedy(0)
        return a if a >= 0 else 0


class OptimalAgent:
    """Plays the engine's exact optimum for the episode's level and seed."""

    name = "optimal"

    def begin(self, env: FunctionQuestEnv, info: dict[str, Any]) -> None:
        plan = env._engine.solve(info["level"], info["seed"])
        self.plan = list(plan["actions"])

    def act(self, obs: np.ndarray, info: dict[str, Any]) -> int:
        return self.plan.pop(0) if self.plan else int(np.flatnonzero(info["action_mask"])[0])


def play_episode(env: FunctionQuestEnv, agent: Agent, seed: int) -> dict[str, Any]:
    """One episode of `agent` on `env` from `seed`: its final score, tier, steps and return."""
    obs, info = env.reset(seed=seed)
    agent.begin(env, info)
    total, steps = 0.0, 0
    while True:
        obs, reward, terminated, truncated, info = env.step(agent.act(obs, info))
        total += float(reward)
        steps += 1
        if terminated or truncated:
            return {"score": info["score"], "tier": info["tier"], "steps": steps, "return": total}
