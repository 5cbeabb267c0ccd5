"""Gymnasium environments over the engine: one level, or every level behind one padded space."""

from __future__ import annotations

import re
from typing import Any, SupportsFloat

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from ._engine import Engine, describe

__all__ = [
    "GENERATED_PAD",
    "ROLE_FEATURES",
    "FunctionQuestEnv",
    "GeneratedEnv",
    "LevelSet",
    "check_seed",
    "env_name",
]

# The spaces of `GeneratedEnv` (observation width, actions): wide enough for every generated level and every
# shipped one, so a policy trained on generated levels plays the shipped ones through the same spaces.
GENERATED_PAD = (192, 128)

UINT32 = 2**32

_KINDS = ("call", "group", "prewarm", "decision")
# With `roles=True`, each action slot's features, appended to the observation in action order: whether it is
# legal now, its kind, whether it can contribute to the goal (the engine's `action_roles`), and the status of
# the functions it acts on (all done, all ready, any failed), read from the observation by the engine's names.
ROLE_FEATURES = ("legal", *(f"kind.{k}" for k in _KINDS), "relevant", "done", "ready", "failed")


class _Roles:
    """One level's role tables: static features per action, and where each action's functions' statuses sit
    in the raw observation (-1: no such entry)."""

    def __init__(self, level: dict[str, Any], n_actions: int) -> None:
        roles = level.get("action_roles")
        if roles is None:
            raise ValueError(f"level {level['id']!r}: the engine's description has no action_roles (rebuild dist-lib)")
        names = {n: i for i, n in enumerate(level["observation"])}
        width = max([len(r["fns"]) for r in roles] + [1])
        self.static = np.zeros((n_actions, 1 + len(_KINDS)), dtype=np.float32)
        self.has_fns = np.zeros(n_actions, dtype=np.float32)
        self.index = {st: np.full((n_actions, width), -1, dtype=np.int64) for st in ("done", "ready", "failed")}
        for a, r in enumerate(roles):
            self.static[a, _KINDS.index(r["kind"])] = 1.0
            self.static[a, len(_KINDS)] = 1.0 if r["relevant"] else 0.0
            self.has_fns[a] = 1.0 if r["fns"] else 0.0
            for g, fn in enumerate(r["fns"]):
                for st, idx in self.index.items():
                    idx[a, g] = names.get(f"fn.{fn}.{st}", -1)

    def features(self, raw: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """(n_actions, len(ROLE_FEATURES)) for one observation and its mask."""
        ones = np.concatenate([raw, np.ones(1, dtype=raw.dtype)])
        zeros = np.concatenate([raw, np.zeros(1, dtype=raw.dtype)])
        done = ones[self.index["done"]].min(axis=1) * self.has_fns
        ready = ones[self.index["ready"]].min(axis=1) * self.has_fns
        failed = zeros[self.index["failed"]].max(axis=1)
        legal = mask[: len(done)].astype(np.float32)
        return np.column_stack([legal, self.static, done, ready, failed]).astype(np.float32)


def check_seed(seed: object) -> int | None:
    """A seed must be None or an integer in [0, 2**32 - 1]: the engine's seeds are uint32, never wrapped."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"seed must be an integer in [0, 2**32 - 1] or None, got {seed!r} ({type(seed).__name__})")
    if not 0 <= int(seed) < UINT32:
        raise ValueError(f"seed must be in [0, 2**32 - 1] (the engine's seeds are uint32), got {seed}")
    return int(seed)


def env_name(level_id: str) -> str:
    """`escape-the-room` -> `EscapeTheRoom`."""
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[-_.]", level_id) if p)


class LevelSet:
    """The levels an env plays, with the widths of their shared spaces, all from the engine's description.

    One level: its own observation and action spaces. Several: observations padded to the widest level,
    with a one-hot of the level appended, and actions padded to the largest action space (padded actions
    are refused by the engine like any illegal action, and masked out).
    """

    def __init__(
        self,
        level_ids: list[str] | None = None,
        *,
        pad: tuple[int, int] | None = None,
        onehot: bool = True,
        generated: tuple[int, list[dict[str, Any]]] | None = None,
        roles: bool = False,
    ) -> None:
        """`pad` fixes the (observation width, actions) instead of the widest level's; `onehot=False` leaves
        the level's one-hot out; `generated` is `(first engine index, descriptions)` of generated levels;
        `roles` appends each action slot's `ROLE_FEATURES`."""
        desc = describe()
        if generated is not None:
            first, described = generated
            self.ids = [lv["id"] for lv in described]
            self.engine_index = [first + k for k in range(len(described))]
            self.levels = list(described)
        else:
            by_id = {lv["id"]: (i, lv) for i, lv in enumerate(desc["levels"])}
            ids = level_ids if level_ids is not None else [lv["id"] for lv in desc["levels"]]
            unknown = [i for i in ids if i not in by_id]
            if unknown:
                raise ValueError(f"unknown level {unknown[0]!r}; the engine has: {', '.join(by_id)}")
            self.ids = ids
            self.engine_index = [by_id[i][0] for i in ids]
            self.levels = [by_id[i][1] for i in ids]
        self.engine_version: str = desc["engine_version"]
        self.reward_scale: float = desc["reward_scale"]
        self.tiers: list[str] = desc["tiers"]
        self.multi = len(self.ids) > 1
        self.onehot = onehot and self.multi
        self.obs_width = max(len(lv["observation"]) for lv in self.levels)
        self.n_actions = max(len(lv["actions"]) for lv in self.levels)
        if pad is not None:
            if self.obs_width > pad[0] or self.n_actions > pad[1]:
                raise ValueError(
                    f"a level needs {self.obs_width} observations and {self.n_actions} actions, past pad={pad}"
                )
            self.obs_width, self.n_actions = pad
        self.roles = [_Roles(lv, self.n_actions) for lv in self.levels] if roles else None
        self.obs_size = (
            self.obs_width
            + (len(self.ids) if self.onehot else 0)
            + (self.n_actions * len(ROLE_FEATURES) if roles else 0)
        )

    def observation_space(self) -> spaces.Box:
        return spaces.Box(0.0, 1.0, shape=(self.obs_size,), dtype=np.float32)

    def action_space(self) -> spaces.Discrete:
        return spaces.Discrete(self.n_actions)

    def observe(self, raw: np.ndarray, level: np.ndarray | int, mask: np.ndarray | None = None) -> np.ndarray:
        """Engine observations (padded by the engine), with the level's one-hot when levels share a space, and
        with `roles` each action slot's role features (which need the mask)."""
        if not self.onehot and self.roles is None:
            return raw
        batch = raw.reshape(-1, self.obs_width)
        levels = np.asarray(level).reshape(-1)
        parts = [batch]
        if self.onehot:
            onehot = np.zeros((batch.shape[0], len(self.ids)), dtype=np.float32)
            onehot[np.arange(batch.shape[0]), levels] = 1.0
            parts.append(onehot)
        if self.roles is not None:
            if mask is None:
                raise ValueError("role features need the action mask")
            masks = np.asarray(mask).reshape(batch.shape[0], -1)
            parts.append(
                np.stack(
                    [
                        self.roles[int(lv)].features(b, m).reshape(-1)
                        for b, m, lv in zip(batch, masks, levels, strict=True)
                    ]
                )
            )
        return np.concatenate(parts, axis=1).astype(np.float32).reshape(*raw.shape[:-1], self.obs_size)


class FunctionQuestEnv(gym.Env[np.ndarray, np.int64]):
    """Function Quest V2 as a Gymnasium env.

    Description: a level is a short story solved by calling functions in order; every call goes through
    the Chambering Flow over a simulated infrastructure layer (the Pit) and is scored on four dimensions.

    Actions: `Discrete(n)`, the level's action space (labels in `action_labels`): calls, prewarms and
    parallel groups. `info["action_mask"]` (int8) marks the legal ones; `action_masks()` gives it to
    sb3-contrib's MaskablePPO. An illegal action is refused by the engine: it costs a step and points.

    Observation: `Box(0, 1, (d,), float32)`, laid out as `observation_names` says (progress, facts,
    artifacts, each function's status, pools). With several levels, padded and followed by a one-hot of
    the level. With `roles=True`, followed by each action slot's `ROLE_FEATURES` in action order: what the
    action is by role, not by name, which is what a policy can carry from one level to another.

    Rewards: the change in points earned; an episode's rewards sum to its final score / 200.

    Termination: the goal is reached, or no action is legal (stuck). Truncation: the level's step limit.
    """

    metadata = {"render_modes": ["ansi"], "render_fps": 4}  # noqa: RUF012 (Gymnasium's convention)

    def __init__(
        self,
        level: str | list[str] | None = None,
        render_mode: str | None = None,
        timeout: float = 60.0,
        pad: tuple[int, int] | None = None,
        onehot: bool = True,
        roles: bool = False,
    ) -> None:
        ids = [level] if isinstance(level, str) else level
        self._setup(Engine(timeout=timeout), LevelSet(ids, pad=pad, onehot=onehot, roles=roles), render_mode)

    def _setup(self, engine: Engine, levels: LevelSet, render_mode: str | None) -> None:
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            engine.close()
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']} or None, got {render_mode!r}")
        self.levels = levels
        self.render_mode = render_mode
        self.observation_space = self.levels.observation_space()
        self.action_space = self.levels.action_space()
        self._engine = engine
        self._engine.make(1, self.levels.obs_width, self.levels.n_actions, events=render_mode == "ansi")
        self._level = 0
        self._mask = np.zeros(self.levels.n_actions, dtype=np.int8)
        self._obs = np.zeros(self.levels.obs_size, dtype=np.float32)
        self._episode_seed = 0

    @property
    def level_id(self) -> str:
        """The level of the current episode."""
        return self.levels.ids[self._level]

    @property
    def action_labels(self) -> list[str]:
        return list(self.levels.levels[self._level]["actions"])

    @property
    def observation_names(self) -> list[str]:
        return list(self.levels.levels[self._level]["observation"])

    def _run(self, action: int, mode: int, seed: int = 0) -> tuple[float, float, bool, bool, int, bool]:
        r, sc, te, tr, ti, rj, obs, mask = self._engine.step_one(
            action, mode, seed, self.levels.engine_index[self._level]
        )
        self._obs = self.levels.observe(obs, self._level, mask)
        self._mask = mask
        return r, sc, te, tr, ti, rj

    def _info(self, score: float, tier: int, rejected: bool) -> dict[str, Any]:
        return {
            "action_mask": self._mask,
            "level": self.level_id,
            "seed": self._episode_seed,
            "score": score,
            "tier": self.levels.tiers[tier],
            "rejected": rejected,
        }

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        seed = check_seed(seed)
        super().reset(seed=seed)
        # A given seed seeds this episode; without one, the env's own generator picks the next.
        self._episode_seed = seed if seed is not None else int(self.np_random.integers(0, 2**32))
        wanted = (options or {}).get("level")
        if wanted is not None:
            if wanted not in self.levels.ids:
                raise ValueError(f"options['level'] {wanted!r} is not among this env's levels: {self.levels.ids}")
            self._level = self.levels.ids.index(wanted)
        elif self.levels.multi:
            self._level = int(self.np_random.integers(len(self.levels.ids)))
        _, score, _, _, tier, rejected = self._run(0, 1, self._episode_seed)
        return self._obs, self._info(score, tier, rejected)

    def step(self, action: Any) -> tuple[np.ndarray, SupportsFloat, bool, bool, dict[str, Any]]:
        a = int(action)
        if not 0 <= a < self.levels.n_actions:
            raise ValueError(f"action must be in [0, {self.levels.n_actions - 1}], got {action!r}")
        reward, score, terminated, truncated, tier, rejected = self._run(a, 0)
        return self._obs, reward, terminated, truncated, self._info(score, tier, rejected)

    def action_masks(self) -> np.ndarray:
        """The legal actions now, as booleans (what MaskablePPO asks for)."""
        return self._mask.astype(bool)

    def render(self) -> str | None:
        if self.render_mode != "ansi":
            return None
        return self._engine.text(0)

    def close(self) -> None:
        self._engine.close()
        super().close()


class GeneratedEnv(FunctionQuestEnv):
    """`FunctionQuest/Generated-v0`: endless level variants from the engine's generator (docs/generator.md).

    The engine generates a pool of `pool` levels of the given `tiers` from `seed` when the env is made (level
    k: tier `tiers[k % len(tiers)]`, generator seed `seed + k`), and each reset draws one of them with the
    env's generator. The spaces are fixed (`GENERATED_PAD`) and carry no level one-hot, so a policy trained
    here plays the shipped levels through `FunctionQuestEnv(pad=GENERATED_PAD, onehot=False)`, held out.
    Tier 4 generates slowly (about 1 s a level); the default pool is tiers 1 to 3.
    """

    def __init__(
        self,
        pool: int = 96,
        tiers: tuple[int, ...] = (1, 2, 3),
        seed: int = 0,
        band: str = "none",
        render_mode: str | None = None,
        timeout: float = 600.0,
        roles: bool = False,
    ) -> None:
        engine = Engine(timeout=timeout)
        made = engine.generate(pool, int(seed), [int(t) for t in tiers], band)
        levels = LevelSet(pad=GENERATED_PAD, onehot=False, generated=(made["first"], made["levels"]), roles=roles)
        self._setup(engine, levels, render_mode)
