"""Function Quest V2 for Python trainers: Gymnasium environments served by the game's own engine.

Importing the package registers, from the engine's own description of its levels:

- `FunctionQuest/<Level>-v0` for every shipped level (`FunctionQuest/EscapeTheRoom-v0`, ...);
- `FunctionQuest/AllLevels-v0`: one padded observation and action space over every level, the level as a
  one-hot in the observation, a level sampled per reset;
- `FunctionQuest/Generated-v0`: levels from the engine's generator (a pool made with the env), one drawn
  per reset, in fixed padded spaces without a one-hot (`GeneratedEnv`).

Each id has an `entry_point` (`FunctionQuestEnv`) and a `vector_entry_point` (`FunctionQuestVectorEnv`,
one engine process per batch): `gymnasium.make_vec(id, num_envs=16, vectorization_mode="vector_entry_point")`.
"""

from __future__ import annotations

import gymnasium as gym

from ._engine import Engine, EngineCrashedError, EngineError, describe
from .env import GENERATED_PAD, ROLE_FEATURES, FunctionQuestEnv, GeneratedEnv, LevelSet, check_seed, env_name
from .vector import FunctionQuestVectorEnv

__all__ = [
    "ALL_LEVELS_ID",
    "GENERATED_ID",
    "GENERATED_PAD",
    "ROLE_FEATURES",
    "Engine",
    "EngineCrashedError",
    "EngineError",
    "FunctionQuestEnv",
    "FunctionQuestVectorEnv",
    "GeneratedEnv",
    "LevelSet",
    "check_seed",
    "describe",
    "env_id",
    "env_ids",
    "env_name",
    "register_envs",
]

ALL_LEVELS_ID = "FunctionQuest/AllLevels-v0"
GENERATED_ID = "FunctionQuest/Generated-v0"


def env_id(level_id: str) -> str:
    """The Gymnasium id of a level: `escape-the-room` -> `FunctionQuest/EscapeTheRoom-v0`."""
    return f"FunctionQuest/{env_name(level_id)}-v0"


def env_ids() -> list[str]:
    """Every registered id: one per level, in the curriculum's order, then AllLevels and Generated."""
    return [env_id(lv["id"]) for lv in describe()["levels"]] + [ALL_LEVELS_ID, GENERATED_ID]


def register_envs() -> None:
    """Registers every id (idempotent)."""
    for lv in describe()["levels"]:
        if env_id(lv["id"]) not in gym.registry:
            gym.register(
                id=env_id(lv["id"]),
                entry_point="function_quest.env:FunctionQuestEnv",
                vector_entry_point="function_quest.vector:FunctionQuestVectorEnv",
                kwargs={"level": lv["id"]},
            )
    if ALL_LEVELS_ID not in gym.registry:
        gym.register(
            id=ALL_LEVELS_ID,
            entry_point="function_quest.env:FunctionQuestEnv",
            vector_entry_point="function_quest.vector:FunctionQuestVectorEnv",
            kwargs={"level": None},
        )
    if GENERATED_ID not in gym.registry:
        gym.register(id=GENERATED_ID, entry_point="function_quest.env:GeneratedEnv")


register_envs()
