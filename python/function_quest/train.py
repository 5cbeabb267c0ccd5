"""Trains a Conductor with sb3-contrib's MaskablePPO, optionally pre-trained on demonstrations.

    python -m function_quest.train --level escape-the-room --timesteps 30000 --seed 1 --out runs/escape
    python -m function_quest.train --level all --timesteps 300000 --out runs/all
    python -m function_quest.train --level the-forge --demos demos.jsonl.gz --bc-epochs 40 --out runs/forge-bc

Flags at the top, seeds set, a progress bar, and logs: `progress.csv` (sb3's training log), `eval.csv`
(timesteps, mean and std of the evaluated score), TensorBoard with `--tensorboard`. The model is saved as
`model.zip` in `--out`. Needs the `train` extra (torch, sb3-contrib).
"""

from __future__ import annotations

import argparse
import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ._engine import describe
from .env import GENERATED_PAD, FunctionQuestEnv, GeneratedEnv, check_seed

__all__ = ["PolicyAgent", "TrainConfig", "behaviour_clone", "evaluate_policy", "main", "train"]


@dataclass
class TrainConfig:
    # a level id, "all" for one policy across every level, or "generated" for FunctionQuest/Generated-v0
    # (evaluated on the shipped levels, held out)
    level: str = "escape-the-room"
    pool: int = 256  # generated levels in each env's pool (level "generated")
    tiers: tuple[int, ...] = (1, 2, 3)  # their tiers
    roles: bool = False  # append each action slot's role features (env.ROLE_FEATURES) to the observation
    timesteps: int = 30_000
    seed: int = 1
    n_envs: int = 4
    n_steps: int = 128  # per env and rollout
    batch_size: int = 128
    learning_rate: float = 3e-4
    ent_coef: float = 0.01
    gamma: float = 0.9  # see docs/training.md: with 0.99 greedy play can settle in a loop of redundant calls
    net: tuple[int, ...] = (64, 64)
    eval_every: int = 2_000  # timesteps between evaluations
    eval_episodes: int = 5
    demos: str | None = None  # a .jsonl(.gz) dataset to pre-train on (behaviour cloning)
    bc_epochs: int = 30
    out: str = "runs/ppo"
    tensorboard: bool = False
    progress_bar: bool = True


def _levels(level: str) -> str | None:
    return None if level == "all" else level


def _make_env(level: str, pool: int = 256, tiers: tuple[int, ...] = (1, 2, 3), roles: bool = False):
    from stable_baselines3.common.monitor import Monitor

    if level == "generated":
        return Monitor(GeneratedEnv(pool=pool, tiers=tiers, seed=0, roles=roles))
    return Monitor(FunctionQuestEnv(_levels(level), roles=roles))


def eval_env(level: str, roles: bool = False) -> FunctionQuestEnv:
    """Where a policy of `level` is evaluated: the level itself, or for "generated" the shipped levels (held
    out: never trained on) through the generated levels' spaces."""
    if level == "generated":
        return FunctionQuestEnv(None, pad=GENERATED_PAD, onehot=False, roles=roles)
    return FunctionQuestEnv(_levels(level), roles=roles)


def evaluate_policy(
    model: Any, level: str, episodes: int, seed0: int = 10_000, roles: bool = False
) -> tuple[float, float]:
    """Mean and std of the final score of the model's deterministic, masked play over `episodes` seeds."""
    env = eval_env(level, roles)
    scores = []
    try:
        for k in range(episodes):
            obs, info = env.reset(seed=seed0 + k)
            while True:
                action, _ = model.predict(obs, action_masks=info["action_mask"].astype(bool), deterministic=True)
                obs, _, terminated, truncated, info = env.step(int(action))
                if terminated or truncated:
                    scores.append(info["score"])
                    break
    finally:
        env.close()
    return float(np.mean(scores)), float(np.std(scores))


def behaviour_clone(model: Any, demos: str, level: str, epochs: int, seed: int) -> dict[str, float]:
    """Pre-trains the policy to imitate the demonstrations' actions (masked cross-entropy); returns its fit."""
    import torch as th

    from .datasets import transitions
    from .env import LevelSet

    levels = LevelSet(None if level == "all" else [level])
    data = transitions(demos, None if level == "all" else [level], levels.obs_width, levels.n_actions)
    obs = data.obs
    if levels.multi:
        idx = np.array([levels.ids.index(x) for x in data.levels])
        obs = levels.observe(obs, idx)
    policy = model.policy
    device = policy.device
    o = th.as_tensor(obs, device=device)
    a = th.as_tensor(data.actions, device=device)
    m = data.masks
    gen = np.random.default_rng(seed)
    opt = th.optim.Adam(policy.parameters(), lr=1e-3)
    loss_v = 0.0
    for _ in range(epochs):
        order = gen.permutation(len(a))
        for start in range(0, len(order), 64):
            b = order[start : start + 64]
            dist = policy.get_distribution(o[b], action_masks=m[b])
            loss = -dist.log_prob(a[b]).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_v = float(loss.item())
    with th.no_grad():
        dist = policy.get_distribution(o, action_masks=m)
        acc = float((dist.get_actions(deterministic=True) == a).float().mean().item())
    return {"transitions": float(len(a)), "loss": loss_v, "accuracy": acc}


def train(cfg: TrainConfig) -> dict[str, Any]:
    """Trains (after optional behaviour cloning) and returns the evaluation curve and the final evaluation."""
    from sb3_contrib import MaskablePPO
    from stable_baselines3.common.callbacks import BaseCallback
    from stable_baselines3.common.logger import configure
    from stable_baselines3.common.utils import set_random_seed
    from stable_baselines3.common.vec_env import DummyVecEnv

    check_seed(cfg.seed)
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    set_random_seed(cfg.seed)
    venv = DummyVecEnv([lambda: _make_env(cfg.level, cfg.pool, cfg.tiers, cfg.roles) for _ in range(cfg.n_envs)])
    venv.seed(cfg.seed)
    model = MaskablePPO(
        "MlpPolicy",
        venv,
        n_steps=cfg.n_steps,
        batch_size=cfg.batch_size,
        learning_rate=cfg.learning_rate,
        ent_coef=cfg.ent_coef,
        gamma=cfg.gamma,
        policy_kwargs={"net_arch": list(cfg.net)},
        seed=cfg.seed,
        verbose=0,
    )
    model.set_logger(configure(str(out), ["csv", *(["tensorboard"] if cfg.tensorboard else [])]))
    curve: list[tuple[int, float, float]] = []
    bc: dict[str, float] | None = None
    if cfg.demos:
        bc = behaviour_clone(model, cfg.demos, cfg.level, cfg.bc_epochs, cfg.seed)
    curve.append((0, *evaluate_policy(model, cfg.level, cfg.eval_episodes, roles=cfg.roles)))

    class Evaluate(BaseCallback):
        def __init__(self) -> None:
            super().__init__()
            self.next = cfg.eval_every

        def _on_step(self) -> bool:
            if self.num_timesteps >= self.next:
                self.next += cfg.eval_every
                curve.append(
                    (self.num_timesteps, *evaluate_policy(self.model, cfg.level, cfg.eval_episodes, roles=cfg.roles))
                )
            return True

    model.learn(total_timesteps=cfg.timesteps, callback=Evaluate(), progress_bar=cfg.progress_bar)
    final = evaluate_policy(model, cfg.level, max(cfg.eval_episodes, 10), roles=cfg.roles)
    curve.append((int(model.num_timesteps), *final))
    with (out / "eval.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["timesteps", "mean_score", "std_score"])
        w.writerows(curve)
    model.save(out / "model.zip")
    venv.close()
    return {"curve": curve, "final": final, "bc": bc, "model": str(out / "model.zip")}


class PolicyAgent:
    """A saved MaskablePPO model as an agent for `function_quest.evaluate` (deterministic, masked)."""

    name = "ppo"

    def __init__(self, model: Any) -> None:
        self.model = model

    @classmethod
    def load(cls, path: str) -> PolicyAgent:
        from sb3_contrib import MaskablePPO

        return cls(MaskablePPO.load(path, device="cpu"))

    def begin(self, env: FunctionQuestEnv, info: dict[str, Any]) -> None:
        pass

    def act(self, obs: np.ndarray, info: dict[str, Any]) -> int:
        action, _ = self.model.predict(obs, action_masks=info["action_mask"].astype(bool), deterministic=True)
        return int(action)


def main(argv: list[str] | None = None) -> int:
    d = TrainConfig()
    p = argparse.ArgumentParser(prog="python -m function_quest.train", description=__doc__.split("\n")[0])
    p.add_argument("--level", default=d.level, help='a level id, "all" (one policy across every level) or "generated"')
    p.add_argument("--pool", type=int, default=d.pool, help='generated levels per env (level "generated")')
    p.add_argument("--timesteps", type=int, default=d.timesteps)
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--n-envs", type=int, default=d.n_envs)
    p.add_argument("--n-steps", type=int, default=d.n_steps)
    p.add_argument("--batch-size", type=int, default=d.batch_size)
    p.add_argument("--learning-rate", type=float, default=d.learning_rate)
    p.add_argument("--ent-coef", type=float, default=d.ent_coef)
    p.add_argument("--gamma", type=float, default=d.gamma)
    p.add_argument("--eval-every", type=int, default=d.eval_every)
    p.add_argument("--eval-episodes", type=int, default=d.eval_episodes)
    p.add_argument("--demos", default=None, help="pre-train on this .jsonl(.gz) dataset first")
    p.add_argument("--bc-epochs", type=int, default=d.bc_epochs)
    p.add_argument("--out", default=d.out)
    p.add_argument("--tensorboard", action="store_true")
    p.add_argument("--no-progress", action="store_true")
    a = p.parse_args(argv)
    ids = [lv["id"] for lv in describe()["levels"]]
    if a.level not in ("all", "generated") and a.level not in ids:
        p.error(f"unknown level {a.level!r}; levels: {', '.join(ids)}, all, or generated")
    if a.timesteps < 1 or a.n_envs < 1:
        p.error("--timesteps and --n-envs must be positive")
    try:
        check_seed(a.seed)
    except (TypeError, ValueError) as e:
        p.error(str(e))
    cfg = TrainConfig(
        level=a.level,
        pool=a.pool,
        timesteps=a.timesteps,
        seed=a.seed,
        n_envs=a.n_envs,
        n_steps=a.n_steps,
        batch_size=a.batch_size,
        learning_rate=a.learning_rate,
        ent_coef=a.ent_coef,
        gamma=a.gamma,
        eval_every=a.eval_every,
        eval_episodes=a.eval_episodes,
        demos=a.demos,
        bc_epochs=a.bc_epochs,
        out=a.out,
        tensorboard=a.tensorboard,
        progress_bar=not a.no_progress,
    )
    r = train(cfg)
    if r["bc"]:
        print(f"behaviour cloning: {r['bc']['transitions']:.0f} steps, accuracy {r['bc']['accuracy']:.2f}")
    print(f"final score {r['final'][0]:.1f} ± {r['final'][1]:.1f}; model saved to {r['model']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
