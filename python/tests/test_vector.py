import gymnasium as gym
import numpy as np
import pytest
from gymnasium.vector import AutoresetMode

import function_quest as fq


def first_legal(mask: np.ndarray) -> np.ndarray:
    m = mask.astype(bool)
    return np.where(m.any(axis=1), m.argmax(axis=1), 0)


def test_make_vec_returns_the_batched_env_with_next_step_autoreset():
    v = gym.make_vec("FunctionQuest/EscapeTheRoom-v0", num_envs=3, vectorization_mode="vector_entry_point")
    assert isinstance(v.unwrapped, fq.FunctionQuestVectorEnv)
    assert v.metadata["autoreset_mode"] == AutoresetMode.NEXT_STEP
    assert v.observation_space.shape == (3, *v.single_observation_space.shape)
    obs, info = v.reset(seed=10)
    assert obs.shape == v.observation_space.shape and obs.dtype == np.float32
    assert info["action_mask"].dtype == np.int8 and info["action_mask"].shape == (3, v.single_action_space.n)
    assert info["seed"].tolist() == [10, 11, 12]
    v.close()


def test_autoreset_resets_on_the_step_after_an_episode_ends():
    v = fq.FunctionQuestVectorEnv(num_envs=2, level="escape-the-room")
    single = fq.FunctionQuestEnv("escape-the-room")
    first, _ = single.reset(seed=0)
    obs, info = v.reset(seed=0)
    ended = None
    for _ in range(60):
        obs, r, te, tr, info = v.step(first_legal(info["action_mask"]))
        done = te | tr
        if done.any():
            ended = int(np.flatnonzero(done)[0])
            break
    assert ended is not None
    # The next step ignores that sub-env's action, resets it: reward 0, no flags, a first observation.
    obs, r, te, tr, info = v.step(np.zeros(2, dtype=np.int64))
    assert r[ended] == 0.0 and not te[ended] and not tr[ended]
    assert np.array_equal(obs[ended], first)  # every Escape the Room episode starts from the same observation
    assert info["score"][ended] == 0.0
    v.close()
    single.close()


def test_a_batch_steps_exactly_as_single_envs_with_the_same_seeds():
    n = 4
    v = fq.FunctionQuestVectorEnv(num_envs=n, level="the-flood-defences")
    singles = [fq.FunctionQuestEnv("the-flood-defences") for _ in range(n)]
    obs, info = v.reset(seed=100)
    for i, e in enumerate(singles):
        o, inf = e.reset(seed=100 + i)
        assert np.array_equal(o, obs[i]) and np.array_equal(inf["action_mask"], info["action_mask"][i])
    live = np.ones(n, dtype=bool)
    for _ in range(25):
        acts = first_legal(info["action_mask"])
        obs, r, te, tr, info = v.step(acts)
        for i, e in enumerate(singles):
            if not live[i]:
                continue
            o, ri, tei, tri, inf = e.step(int(acts[i]))
            assert np.array_equal(o, obs[i]) and ri == r[i] and tei == te[i] and tri == tr[i]
            assert inf["score"] == info["score"][i]
            live[i] = not (tei or tri)
    v.close()
    for e in singles:
        e.close()


def test_all_levels_vector_env_samples_a_level_per_reset():
    v = gym.make_vec(fq.ALL_LEVELS_ID, num_envs=8, vectorization_mode="vector_entry_point")
    obs, _info = v.reset(seed=3)
    k = len(fq.describe()["levels"])
    onehots = obs[:, -k:]
    assert (onehots.sum(axis=1) == 1).all()
    assert len({int(x) for x in onehots.argmax(axis=1)}) > 2
    v.close()


def test_vector_seeds_are_checked():
    v = fq.FunctionQuestVectorEnv(num_envs=2, level="escape-the-room")
    with pytest.raises(ValueError, match=r"\[0, 2\*\*32 - 1\]"):
        v.reset(seed=2**32)
    with pytest.raises(ValueError, match="leaves"):
        v.reset(seed=2**32 - 1)  # the second sub-env would need 2**32
    _obs, info = v.reset(seed=[5, None])
    assert info["seed"][0] == 5
    with pytest.raises(ValueError, match="needs 2 entries"):
        v.reset(seed=[1, 2, 3])
    v.close()
