"""Reading demonstration datasets (JSON Lines, plain or gzip) as the browser and `fq demos` write them.

The engine verifies datasets (`npm run fq -- verify`); this reader only loads them for training, and checks
that each episode's level and spaces match the engine's own description.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ._engine import cli_path, describe

__all__ = ["UNDO", "Transitions", "bot_demos", "read_episodes", "transitions"]

UNDO = -1


def bot_demos(level: str, out: str | Path, bot: str = "optimal", episodes: int = 10) -> Path:
    """Writes bot demonstrations with the engine's own `fq demos` (the format the browser exports too)."""
    import subprocess

    cmd = ["node", str(cli_path()), "demos", level, "--bot", bot, "--episodes", str(episodes), "--out", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"fq demos failed ({done.returncode}): {done.stderr.strip()}")
    return Path(out)


def read_episodes(path: str | Path) -> Iterator[dict[str, Any]]:
    """The episodes of a dataset file, one at a time; refuses a file that is not a Function Quest dataset."""
    p = Path(path)
    with p.open("rb") as raw:
        gz = raw.read(2) == b"\x1f\x8b"
    opener = gzip.open if gz else open
    levels = {lv["id"]: lv for lv in describe()["levels"]}
    with opener(p, "rt", encoding="utf-8") as f:
        header = json.loads(f.readline() or "null")
        if not isinstance(header, dict) or header.get("format") != "fq-dataset":
            raise ValueError(f"{p}: line 1 is not a Function Quest dataset header")
        for n, line in enumerate(f, start=2):
            if not line.strip():
                continue
            ep = json.loads(line)
            lv = levels.get(ep.get("level_id"))
            if lv is None:
                raise ValueError(f"{p}: line {n}: level_id {ep.get('level_id')!r} is not a level of this engine")
            if len(ep["observations"][0]) != len(lv["observation"]):
                raise ValueError(
                    f"{p}: line {n}: observations have {len(ep['observations'][0])} entries; "
                    f"{lv['id']} has {len(lv['observation'])} (recorded by another engine version?)"
                )
            yield ep


class Transitions:
    """(observation, action, mask, level) rows for behaviour cloning."""

    def __init__(self, obs: np.ndarray, actions: np.ndarray, masks: np.ndarray, levels: list[str]) -> None:
        self.obs, self.actions, self.masks, self.levels = obs, actions, masks, levels

    def __len__(self) -> int:
        return len(self.actions)


def transitions(path: str | Path, level_ids: list[str] | None, obs_width: int, n_actions: int) -> Transitions:
    """Forward steps of the episodes on `level_ids` (all when None), padded to the given widths.

    Undo steps (action -1) and the steps they undid are left out: cloning should not learn to make a move
    only to take it back.
    """
    obs: list[np.ndarray] = []
    acts: list[int] = []
    masks: list[np.ndarray] = []
    lv: list[str] = []
    for ep in read_episodes(path):
        if level_ids is not None and ep["level_id"] not in level_ids:
            continue
        keep = [True] * len(ep["actions"])
        for i, a in enumerate(ep["actions"]):
            if a == UNDO:
                keep[i] = False
                j = i - 1
                while j >= 0 and not keep[j]:
                    j -= 1
                if j >= 0:
                    keep[j] = False
        for i, a in enumerate(ep["actions"]):
            if not keep[i]:
                continue
            o = np.zeros(obs_width, dtype=np.float32)
            o[: len(ep["observations"][i])] = ep["observations"][i]
            m = np.zeros(n_actions, dtype=bool)
            m[: len(ep["action_masks"][i])] = np.asarray(ep["action_masks"][i], dtype=bool)
            obs.append(o)
            acts.append(int(a))
            masks.append(m)
            lv.append(ep["level_id"])
    if not acts:
        raise ValueError(f"{path}: no forward steps on {level_ids or 'any level'}")
    return Transitions(np.stack(obs), np.asarray(acts, dtype=np.int64), np.stack(masks), lv)
