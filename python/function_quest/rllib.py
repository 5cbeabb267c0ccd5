"""Trains PPO with action masking on Ray RLlib, on one machine or a Ray cluster.

    python -m function_quest.rllib --env FunctionQuest/EscapeTheRoom-v0 --num-env-runners 2 --iterations 20
    python -m function_quest.rllib --env FunctionQuest/AllLevels-v0 --address auto --num-env-runners 16

Each env runner is a Ray actor with its own engine processes; `--address` joins an existing cluster
(`ray start --head` on one node, `ray start --address=HEAD:6379` on the others; docs/training.md). The
policy is RLlib's `ActionMaskingTorchRLModule`, so the observation is a dict of the engine's observation
and its action mask. Needs the `ray` extra.
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

import gymnasium as gym
import numpy as np

from .env import FunctionQuestEnv

__all__ = ["MaskedEnv", "build_config", "main", "runner_steps", "train"]

ENV_NAME = "function-quest-masked"
# Steps this process's envs have taken: each env runner is its own process, so this counts per runner.
_STEPS = [0]


class MaskedEnv(gym.Env):
    """A Function Quest env whose observation is `{"observations": ..., "action_mask": ...}` (RLlib's form)."""

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        config = config or {}
        spec = gym.spec(config.get("env", "FunctionQuest/EscapeTheRoom-v0"))
        self.env = FunctionQuestEnv(spec.kwargs.get("level"))
        n = self.env.action_space.n
        self.action_space = self.env.action_space
        self.observation_space = gym.spaces.Dict(
            {
                "observations": self.env.observation_space,
                "action_mask": gym.spaces.Box(0.0, 1.0, shape=(n,), dtype=np.float32),
            }
        )

    def _obs(self, obs: np.ndarray, info: dict[str, Any]) -> dict[str, np.ndarray]:
        return {"observations": obs, "action_mask": info["action_mask"].astype(np.float32)}

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        obs, info = self.env.reset(seed=seed, options=options)
        return self._obs(obs, info), info

    def step(self, action: Any):
        obs, reward, terminated, truncated, info = self.env.step(action)
        _STEPS[0] += 1
        return self._obs(obs, info), reward, terminated, truncated, info

    def close(self) -> None:
        self.env.close()


def _make(config: dict[str, Any]) -> MaskedEnv:
    import function_quest  # noqa: F401  (registers the ids in this runner's process)

    return MaskedEnv(config)


def build_config(env_id: str, num_env_runners: int, train_batch: int, seed: int) -> Any:
    from ray.rllib.algorithms.ppo import PPOConfig
    from ray.rllib.core.rl_module.rl_module import RLModuleSpec
    from ray.rllib.examples.rl_modules.classes.action_masking_rlm import ActionMaskingTorchRLModule
    from ray.tune.registry import register_env

    register_env(ENV_NAME, _make)
    return (
        PPOConfig()
        .environment(ENV_NAME, env_config={"env": env_id})
        .env_runners(num_env_runners=num_env_runners, num_envs_per_env_runner=1)
        .training(train_batch_size_per_learner=train_batch, minibatch_size=min(128, train_batch), num_epochs=4)
        .rl_module(
            rl_module_spec=RLModuleSpec(
                module_class=ActionMaskingTorchRLModule,
                model_config={"head_fcnet_hiddens": [64, 64], "head_fcnet_activation": "relu"},
            )
        )
        .debugging(seed=seed)
    )


def _steps_of(runner: Any) -> tuple[int, int]:
    # Module-level, so Ray pickles it by reference and the runner reads its own process's counter (a lambda
    # would travel by value, with a copy of the driver's).
    return runner.worker_index, _STEPS[0]


def runner_steps(algo: Any) -> dict[int, int]:
    """Env steps taken by each remote env runner (its worker index -> steps)."""
    return dict(algo.env_runner_group.foreach_env_runner(_steps_of, local_env_runner=False))


def train(
    env_id: str,
    iterations: int,
    num_env_runners: int = 2,
    train_batch: int = 1024,
    seed: int = 1,
    address: str | None = None,
    log: Any = print,
) -> dict[str, Any]:
    import ray

    if not ray.is_initialized():
        if address:
            ray.init(address=address)
        else:
            # The engine processes are children of each runner; give Ray's runners a CPU each.
            ray.init(num_cpus=max(2, num_env_runners + 1), include_dashboard=False, log_to_driver=False)
    algo = build_config(env_id, num_env_runners, train_batch, seed).build_algo()
    history = []
    try:
        for i in range(iterations):
            t = time.time()
            r = algo.train()
            runners = r.get("env_runners", {})
            steps = int(r.get("num_env_steps_sampled_lifetime", runners.get("num_env_steps_sampled_lifetime", 0)))
            ret = runners.get("episode_return_mean", float("nan"))
            history.append({"iteration": i + 1, "steps": steps, "return_mean": ret, "seconds": time.time() - t})
            log(f"iteration {i + 1}: {steps} env steps, mean episode return {ret:.3f} (score ≈ {200 * ret:.0f})")
        per_runner = runner_steps(algo)
    finally:
        algo.stop()
    return {"history": history, "runner_steps": per_runner}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m function_quest.rllib", description=__doc__.split("\n")[0])
    p.add_argument("--env", default="FunctionQuest/EscapeTheRoom-v0", help="a registered FunctionQuest/* id")
    p.add_argument("--iterations", type=int, default=20)
    p.add_argument("--num-env-runners", type=int, default=2)
    p.add_argument("--train-batch", type=int, default=1024)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--address", default=None, help='an existing Ray cluster ("auto", or HOST:PORT)')
    a = p.parse_args(argv)
    import function_quest

    if a.env not in function_quest.env_ids():
        p.error(f"unknown env {a.env!r}; registered: {', '.join(function_quest.env_ids())}")
    os.environ.setdefault("RAY_DEDUP_LOGS", "0")
    r = train(a.env, a.iterations, a.num_env_runners, a.train_batch, a.seed, a.address)
    total = sum(h["seconds"] for h in r["history"])
    steps = sum(r["runner_steps"].values())
    print(f"env steps per runner: {r['runner_steps']}; {steps / max(total, 1e-9):.0f} env steps/s in all")
    return 0


if __name__ == "__main__":
    # Run the importable module's main, not this `__main__` copy: Ray ships `__main__` functions by value,
    # which would give every runner its own copy of the env factory and of the step counter.
    from function_quest.rllib import main as _main

    raise SystemExit(_main())
