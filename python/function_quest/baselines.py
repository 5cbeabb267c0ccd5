"""Writes docs/rl-baselines.md: random, greedy, MaskablePPO (per level and across all levels) and the optimum
on every level, and behaviour cloning against PPO from scratch, with learning-curve images.

    python -m function_quest.baselines                 # the full run (about half an hour on 2 cores)
    python -m function_quest.baselines --quick         # a smoke run with tiny budgets

Every figure in the document is measured by this script; nothing in it is written by hand.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from ._engine import describe
from .agents import GreedyAgent, OptimalAgent, RandomAgent
from .datasets import bot_demos
from .evaluate import evaluate
from .train import PolicyAgent, TrainConfig, train

ROOT = Path(__file__).resolve().parents[2]
# Budgets per tier: later tiers have more functions, larger action spaces and longer optima.
BUDGET = {1: 15_000, 2: 25_000, 3: 40_000, 4: 60_000}
MASTER = 151  # the engine's Master tier starts here (docs/scoring.md)


def first_reaching(curve: list[tuple[int, float, float]], target: float) -> int | None:
    """The first evaluated timestep whose mean score reaches `target`."""
    return next((t for t, m, _ in curve if m >= target), None)


def plot(curves: dict[str, list[tuple[int, float, float]]], title: str, path: Path, marks: dict[str, float]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    for name, c in curves.items():
        ax.plot([t for t, _, _ in c], [m for _, m, _ in c], label=name, linewidth=1.8)
    for name, y in marks.items():
        ax.axhline(y, linestyle="--", linewidth=1, color="grey")
        ax.text(0, y + 2, name, fontsize=8, color="grey")
    ax.set_xlabel("environment steps")
    ax.set_ylabel("evaluated score (of 200)")
    ax.set_ylim(0, 205)
    ax.set_title(title)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def run(a: argparse.Namespace) -> dict[str, Any]:
    levels = describe()["levels"]
    if a.levels:
        levels = [lv for lv in levels if lv["id"] in a.levels]
    scale = 0.1 if a.quick else 1.0
    rows: list[dict[str, Any]] = []
    curves: dict[str, list[tuple[int, float, float]]] = {}
    work = Path(tempfile.mkdtemp(prefix="fq-baselines-"))
    t0 = time.time()
    for lv in levels:
        lid = lv["id"]
        row: dict[str, Any] = {"level": lid, "title": lv["title"], "tier": lv["tier"]}
        for name, factory in (
            ("random", lambda: RandomAgent(a.seed)),
            ("greedy", GreedyAgent),
            ("optimal", OptimalAgent),
        ):
            row[name] = evaluate(factory, lid, a.episodes)
        steps = max(2_000, int(BUDGET[lv["tier"]] * scale))
        r = train(
            TrainConfig(
                level=lid,
                timesteps=steps,
                seed=a.seed,
                eval_every=max(1_000, steps // 10),
                out=str(work / lid),
                progress_bar=False,
            )
        )
        row["ppo"] = evaluate(lambda m=r["model"]: PolicyAgent.load(m), lid, a.episodes)
        row["ppo_steps"] = steps
        curves[lid] = r["curve"]
        rows.append(row)
        print(
            f"{lid:28} random {row['random']['mean']:6.1f}  ppo {row['ppo']['mean']:6.1f}  optimal "
            f"{row['optimal']['mean']:6.1f}  ({time.time() - t0:.0f} s)",
            flush=True,
        )

    # One policy across every level (the padded AllLevels space), evaluated level by level.
    all_steps = int(a.all_timesteps * scale)
    r_all = train(
        TrainConfig(
            level="all",
            timesteps=all_steps,
            seed=a.seed,
            eval_every=max(2_000, all_steps // 10),
            out=str(work / "all"),
            progress_bar=False,
            net=(128, 128),
        )
    )
    for row in rows:
        row["ppo_all"] = evaluate_all(r_all["model"], row["level"], a.episodes)
    print(f"AllLevels: {all_steps} steps ({time.time() - t0:.0f} s)", flush=True)

    # Behaviour cloning on the engine's optimal demonstrations, against PPO from scratch at the same seeds.
    bc_rows = []
    bc_curves: dict[str, list[tuple[int, float, float]]] = {}
    for lid in a.bc_levels:
        lv = next(x for x in describe()["levels"] if x["id"] == lid)
        steps = max(2_000, int(BUDGET[lv["tier"]] * scale))
        demos = bot_demos(lid, work / f"{lid}-demos.jsonl", "optimal", 10)
        every = max(500, steps // 20)
        # The same run twice from the same seed: once from scratch, once pre-trained on the demonstrations.
        base = TrainConfig(level=lid, timesteps=steps, seed=a.seed, eval_every=every, progress_bar=False)
        scratch = train(replace(base, out=str(work / f"{lid}-scratch")))
        cloned = train(replace(base, demos=str(demos), out=str(work / f"{lid}-bc")))
        known = [row["random"]["mean"] for row in rows if row["level"] == lid]
        random_mean = known[0] if known else evaluate(lambda: RandomAgent(a.seed), lid, a.episodes)["mean"]
        bc_rows.append(
            {
                "level": lid,
                "random": random_mean,
                "scratch_reaches_random": first_reaching(scratch["curve"], random_mean),
                "bc_reaches_random": first_reaching(cloned["curve"], random_mean),
                "scratch_final": scratch["final"][0],
                "bc_final": cloned["final"][0],
                "bc_accuracy": cloned["bc"]["accuracy"] if cloned["bc"] else None,
            }
        )
        bc_curves[f"{lid}: from scratch"] = scratch["curve"]
        bc_curves[f"{lid}: pre-trained on demonstrations"] = cloned["curve"]
        print(
            f"BC {lid}: scratch reaches random at {bc_rows[-1]['scratch_reaches_random']}, "
            f"BC at {bc_rows[-1]['bc_reaches_random']} ({time.time() - t0:.0f} s)",
            flush=True,
        )
    return {
        "rows": rows,
        "curves": curves,
        "all": r_all["curve"],
        "all_steps": all_steps,
        "bc": bc_rows,
        "bc_curves": bc_curves,
        "seconds": time.time() - t0,
        "episodes": a.episodes,
        "seed": a.seed,
        "engine_version": describe()["engine_version"],
        "quick": a.quick,
    }


def evaluate_all(model: str, level: str, episodes: int) -> dict[str, Any]:
    """The AllLevels policy on one level: the env's level is fixed through reset options."""
    import numpy as np

    from .env import FunctionQuestEnv

    env = FunctionQuestEnv(None)
    agent = PolicyAgent.load(model)
    scores = []
    try:
        for k in range(episodes):
            obs, info = env.reset(seed=1000 + k, options={"level": level})
            while True:
                obs, _, te, tr, info = env.step(agent.act(obs, info))
                if te or tr:
                    scores.append(info["score"])
                    break
    finally:
        env.close()
    return {"mean": float(np.mean(scores)), "std": float(np.std(scores))}


def write_doc(res: dict[str, Any], out: Path) -> None:
    docs = out.parent
    docs.mkdir(parents=True, exist_ok=True)
    rows = res["rows"]
    sel = [*[r["level"] for r in rows if r["tier"] == 4][:3], rows[0]["level"]] if rows else []
    plot(
        {k: v for k, v in res["curves"].items() if k in sel},
        "MaskablePPO per level",
        docs / "rl-curves.png",
        {},
    )
    if res["bc_curves"]:
        plot(res["bc_curves"], "Pre-training on demonstrations vs PPO from scratch", docs / "rl-bc.png", {})
    plot(
        {"AllLevels policy": res["all"]},
        "One MaskablePPO policy across all twenty levels",
        docs / "rl-all.png",
        {},
    )
    beats = sum(r["ppo"]["mean"] > r["random"]["mean"] for r in rows)
    master = sum(r["ppo"]["mean"] >= MASTER for r in rows)
    m180 = sum(r["ppo"]["mean"] >= 180 for r in rows)
    lines = [
        "# RL baselines",
        "",
        "Written by `python -m function_quest.baselines`"
        f"{' --quick (tiny budgets: not the real figures)' if res['quick'] else ''}; do not edit by hand. "
        f"Engine {res['engine_version']}, {res['episodes']} evaluation seeds per level and agent, training seed "
        f"{res['seed']}, {res['seconds'] / 60:.0f} minutes on this 2-core machine.",
        "",
        "Scores are final scores out of 200 (mean ± std over the seeds). *random* plays uniformly among legal "
        "actions; *greedy* takes the engine's greedy choice each step; *PPO* is sb3-contrib's MaskablePPO trained "
        "on that level alone for the steps shown; *PPO-all* is one policy trained on `FunctionQuest/AllLevels-v0` "
        f"for {res['all_steps']:,} steps; *optimal* plays the engine's exact solver.",
        "",
        f"- PPO beats random on {beats} of {len(rows)} levels.",
        f"- PPO reaches Master (≥ {MASTER}, the engine's tier) on {master} of {len(rows)} levels, and ≥ 180 on {m180}.",
        "",
        "| level | tier | random | greedy | PPO (steps) | PPO-all | optimal |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    fmt = lambda e: f"{e['mean']:.1f} ± {e['std']:.1f}"  # noqa: E731
    for r in rows:
        lines.append(
            f"| {r['title']} | {r['tier']} | {fmt(r['random'])} | {fmt(r['greedy'])} | {fmt(r['ppo'])} "
            f"({r['ppo_steps']:,}) | {fmt(r['ppo_all'])} | {fmt(r['optimal'])} |"
        )
    lines += [
        "",
        "![PPO learning curves](rl-curves.png)",
        "",
        "![One policy across all levels](rl-all.png)",
        "",
    ]
    if res["bc"]:
        lines += [
            "## Pre-training on demonstrations",
            "",
            "The policy is first fitted to demonstrations (10 episodes of the engine's optimal bot, written by "
            "`fq demos --bot optimal`, the same format the browser exports), then fine-tuned with PPO; PPO from "
            "scratch starts from the same seed. *Reaches random* is the first evaluation (every "
            "twentieth of the budget) whose mean score reaches the random player's.",
            "",
            "| level | random | from scratch: reaches random at | pre-trained: reaches random at | final, scratch | "
            "final, pre-trained |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        at = lambda t: "not within the budget" if t is None else f"{t:,} steps"  # noqa: E731
        for b in res["bc"]:
            lines.append(
                f"| {b['level']} | {b['random']:.1f} | {at(b['scratch_reaches_random'])} | "
                f"{at(b['bc_reaches_random'])} | "
                f"{b['scratch_final']:.1f} | {b['bc_final']:.1f} |"
            )
        lines += ["", "![Pre-training against PPO from scratch](rl-bc.png)", ""]
    out.write_text("\n".join(lines) + "\n")
    (docs / "rl-baselines.json").write_text(
        json.dumps({k: v for k, v in res.items() if k not in ("curves", "bc_curves")}, indent=1) + "\n"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m function_quest.baselines", description=__doc__.split("\n")[0])
    p.add_argument("--episodes", type=int, default=10)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--levels", nargs="+", default=None)
    p.add_argument("--all-timesteps", type=int, default=300_000)
    p.add_argument("--bc-levels", nargs="+", default=["the-forge", "the-flood-defences", "launch-the-spaceship"])
    p.add_argument("--quick", action="store_true", help="tiny budgets, for a smoke run")
    p.add_argument("--out", default=str(ROOT / "docs" / "rl-baselines.md"))
    a = p.parse_args(argv)
    res = run(a)
    write_doc(res, Path(a.out))
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
