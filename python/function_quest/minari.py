"""Converts a demonstration dataset (.jsonl or .jsonl.gz, from the browser or `fq demos`) into Minari datasets.

    python -m function_quest.minari demos.jsonl.gz            # one Minari dataset per level and provenance
    MINARI_DATASETS_PATH=./minari python -m function_quest.minari demos.jsonl --version 1

Each becomes `function-quest/<level>/<provenance>-v<version>` (for example
`function-quest/escape-the-room/human-v0`), with integer episode ids, the registered env's spec (so
`dataset.recover_environment()` gives `FunctionQuest/<Level>-v0`), and `ref_min_score`/`ref_max_score` from
the random and optimal baselines (their mean returns, i.e. score / 200).

Undo (action -1) has no place in the env's `Discrete(n)` action space, so an undo and the step it undid
are removed, and their net reward (the undo's penalty) is added to the reward of the step before them (or,
at the start of an episode, the step after), so an episode's rewards still sum to its final score / 200.
The observation after an undo is the one before the undone step, so the remaining steps line up.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from ._engine import describe
from .agents import OptimalAgent, RandomAgent
from .datasets import UNDO, read_episodes
from .evaluate import evaluate

__all__ = ["dataset_id", "drop_undos", "main", "to_minari"]


def dataset_id(level: str, provenance: str, version: int = 0) -> str:
    return f"function-quest/{level}/{provenance}-v{version}"


def drop_undos(ep: dict[str, Any]) -> dict[str, Any]:
    """The episode without its undo steps and the steps they undid (see the module's docstring)."""
    obs = [np.asarray(o, dtype=np.float32) for o in ep["observations"]]
    steps = [
        {"a": a, "r": r, "te": te, "tr": tr, "o": obs[i + 1]}
        for i, (a, r, te, tr) in enumerate(
            zip(ep["actions"], ep["rewards"], ep["terminations"], ep["truncations"], strict=True)
        )
    ]
    kept: list[dict[str, Any]] = []
    carry = 0.0  # net reward of removed pairs at the very start, for the first kept step
    for s in steps:
        if s["a"] != UNDO:
            kept.append(dict(s))
            continue
        undone = kept.pop() if kept else None
        net = s["r"] + (undone["r"] if undone else 0.0)
        if kept:
            kept[-1]["r"] += net
        else:
            carry += net
    if kept:
        kept[0]["r"] += carry
    first = obs[0]
    return {
        "observations": np.stack([first] + [k["o"] for k in kept]),
        "actions": np.asarray([k["a"] for k in kept], dtype=np.int64),
        "rewards": np.asarray([k["r"] for k in kept], dtype=np.float64),
        "terminations": np.asarray([k["te"] for k in kept], dtype=bool),
        "truncations": np.asarray([k["tr"] for k in kept], dtype=bool),
        "undos": sum(1 for a in ep["actions"] if a == UNDO),
    }


def to_minari(
    path: str | Path,
    version: int = 0,
    ref_episodes: int = 10,
    author: str = "Function Quest V2",
    contact: str = "see docs/training.md in the Function Quest V2 repository",
) -> list[str]:
    """Creates the Minari datasets of a dataset file; returns their ids."""
    import minari
    from minari.data_collector import EpisodeBuffer

    from . import env_id

    groups: dict[tuple[str, str], list[EpisodeBuffer]] = defaultdict(list)
    for ep in read_episodes(path):
        key = (ep["level_id"], ep["provenance"])
        d = drop_undos(ep)
        if len(d["actions"]) == 0:
            continue
        groups[key].append(
            EpisodeBuffer(
                id=len(groups[key]),
                seed=int(ep["seed"]),
                observations=d["observations"],
                actions=d["actions"],
                rewards=list(d["rewards"]),
                terminations=list(d["terminations"]),
                truncations=list(d["truncations"]),
            )
        )
    titles = {lv["id"]: lv["title"] for lv in describe()["levels"]}
    made = []
    for (level, provenance), buffers in sorted(groups.items()):
        did = dataset_id(level, provenance, version)
        lo = evaluate(lambda: RandomAgent(0), level, ref_episodes)["mean"] / describe()["reward_scale"]
        hi = evaluate(OptimalAgent, level, ref_episodes)["mean"] / describe()["reward_scale"]
        minari.create_dataset_from_buffers(
            dataset_id=did,
            buffer=buffers,
            env=env_id(level),
            eval_env=env_id(level),
            algorithm_name=f"{provenance} demonstrations",
            author=author,
            author_email=contact,
            code_permalink="python/function_quest/minari.py in the Function Quest V2 repository",
            ref_min_score=lo,
            ref_max_score=hi,
            description=(
                f"{titles[level]}: {len(buffers)} {provenance} episodes converted from {Path(path).name}. "
                "Undo steps and the steps they undid were removed; their net reward was kept."
            ),
        )
        made.append(did)
    return made


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m function_quest.minari", description=__doc__.split("\n")[0])
    p.add_argument("dataset", help="a .jsonl or .jsonl.gz dataset (browser export or fq demos)")
    p.add_argument("--version", type=int, default=0, help="the Minari dataset version (the -vN suffix)")
    p.add_argument("--ref-episodes", type=int, default=10, help="episodes per baseline for the reference scores")
    p.add_argument("--author", default="Function Quest V2")
    p.add_argument("--author-email", default="see docs/training.md in the Function Quest V2 repository")
    a = p.parse_args(argv)
    for did in to_minari(a.dataset, a.version, a.ref_episodes, a.author, a.author_email):
        print(did)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
