"""A Gymnasium VectorEnv in which one engine process steps the whole batch per message."""

from __future__ import annotations

from typing import Any

import numpy as np
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from ._engine import Engine
from .env import LevelSet, check_seed

__all__ = ["FunctionQuestVectorEnv"]


class FunctionQuestVectorEnv(VectorEnv):
    """`num_envs` copies of a Function Quest env, stepped together by one engine process.

    Observations, rewards, flags and masks cross the process boundary as packed binary arrays. Autoreset
    follows Gymnasium's default, next-step: the step after an episode ends resets that sub-env (its action
    is ignored) and returns the first observation of the next episode with reward 0 and both flags False.
    `infos["action_mask"]` is the (num_envs, n) int8 mask; `action_masks()` gives it as booleans.
    """

    metadata = {"autoreset_mode": AutoresetMode.NEXT_STEP, "render_modes": ["ansi"]}  # noqa: RUF012

    def __init__(
        self,
        num_envs: int = 1,
        level: str | list[str] | None = None,
        render_mode: str | None = None,
        timeout: float = 60.0,
    ) -> None:
        if not isinstance(num_envs, int) or num_envs < 1:
            raise ValueError(f"num_envs must be a positive integer, got {num_envs!r}")
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']} or None, got {render_mode!r}")
        ids = [level] if isinstance(level, str) else level
        self.levels = LevelSet(ids)
        self.num_envs = num_envs
        self.render_mode = render_mode
        self.single_observation_space = self.levels.observation_space()
        self.single_action_space = self.levels.action_space()
        self.observation_space = batch_space(self.single_observation_space, num_envs)
        self.action_space = batch_space(self.single_action_space, num_envs)
        self._engine = Engine(timeout=timeout)
        self._engine.make(num_envs, self.levels.obs_width, self.levels.n_actions, events=render_mode == "ansi")
        self._level = np.zeros(num_envs, dtype=np.int64)
        self._autoreset = np.zeros(num_envs, dtype=bool)
        self._mask = np.zeros((num_envs, self.levels.n_actions), dtype=np.int8)
        self._started = False

    def _levels_for(self, which: np.ndarray) -> None:
        if self.levels.multi:
            self._level[which] = self.np_random.integers(len(self.levels.ids), size=int(which.sum()))

    def _run(
        self, actions: np.ndarray, modes: np.ndarray, seeds: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        engine_levels = np.asarray(self.levels.engine_index, dtype=np.int64)[self._level]
        r, sc, te, tr, ti, rj, obs, masks = self._engine.step(actions, modes, seeds, engine_levels)
        self._mask = masks
        every = np.ones(self.num_envs, dtype=bool)
        infos: dict[str, Any] = {
            "action_mask": masks.copy(),
            "_action_mask": every,
            "score": sc,
            "_score": every.copy(),
            "tier": ti,
            "_tier": every.copy(),
            "rejected": rj,
            "_rejected": every.copy(),
        }
        return self.levels.observe(obs, self._level, masks).astype(np.float32), r, te, tr, infos

    def _seeds(self, n: int) -> np.ndarray:
        return self.np_random.integers(0, 2**32, size=n, dtype=np.uint64).astype(np.uint32)

    def reset(
        self, *, seed: int | list[int | None] | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        # An integer seeds the batch: sub-env i plays seed + i (as Gymnasium's own vector envs do), and the
        # batch's generator is seeded with it; a list gives each sub-env its own (None: drawn).
        if isinstance(seed, list):
            if len(seed) != self.num_envs:
                raise ValueError(f"a list of seeds needs {self.num_envs} entries, got {len(seed)}")
            given = [check_seed(s) for s in seed]
            super().reset(seed=next((s for s in given if s is not None), None))
        else:
            first = check_seed(seed)
            if first is not None and first + self.num_envs - 1 >= 2**32:
                raise ValueError(f"seed {first} + {self.num_envs - 1} sub-envs leaves [0, 2**32 - 1]")
            super().reset(seed=first)
            given = [None if first is None else first + i for i in range(self.num_envs)]
        drawn = self._seeds(self.num_envs)
        seeds = np.array([s if s is not None else drawn[i] for i, s in enumerate(given)], dtype=np.uint32)
        everyone = np.ones(self.num_envs, dtype=bool)
        self._levels_for(everyone)
        wanted = (options or {}).get("level")
        if wanted is not None:
            if wanted not in self.levels.ids:
                raise ValueError(f"options['level'] {wanted!r} is not among this env's levels: {self.levels.ids}")
            self._level[:] = self.levels.ids.index(wanted)
        obs, _, _, _, infos = self._run(
            np.zeros(self.num_envs, dtype=np.int32), np.ones(self.num_envs, np.uint8), seeds
        )
        infos["seed"] = seeds.astype(np.int64)
        infos["_seed"] = everyone
        self._autoreset[:] = False
        self._started = True
        return obs, infos

    def step(self, actions: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        if not self._started:
            raise RuntimeError("call reset() before step()")
        acts = np.asarray(actions, dtype=np.int64).reshape(self.num_envs)
        if ((acts < 0) | (acts >= self.levels.n_actions)).any():
            raise ValueError(f"actions must be in [0, {self.levels.n_actions - 1}], got {acts.tolist()}")
        modes = self._autoreset.astype(np.uint8)
        self._levels_for(self._autoreset)
        obs, r, te, tr, infos = self._run(acts.astype(np.int32), modes, self._seeds(self.num_envs))
        self._autoreset = te | tr
        return obs, r, te, tr, infos

    def action_masks(self) -> np.ndarray:
        """The legal actions of every sub-env now, as booleans."""
        return self._mask.astype(bool)

    def render(self) -> tuple[str, ...] | None:
        if self.render_mode != "ansi":
            return None
        return tuple(self._engine.text(i) for i in range(self.num_envs))

    def close_extras(self, **kwargs: Any) -> None:
        self._engine.close()
