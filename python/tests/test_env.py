import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import function_quest as fq


@pytest.mark.parametrize("env_id", fq.env_ids())
def test_check_env_passes_on_every_registered_id(env_id):
    for render_mode in (None, "ansi"):
        env = gym.make(env_id, render_mode=render_mode)
        try:
            check_env(env.unwrapped)  # warnings are errors (pyproject): none may be raised
        finally:
            env.close()


def test_one_id_per_level_and_all_levels_from_the_engine_description():
    levels = fq.describe()["levels"]
    assert len(levels) == 20
    assert fq.env_ids() == [fq.env_id(lv["id"]) for lv in levels] + [fq.ALL_LEVELS_ID, fq.GENERATED_ID]
    assert fq.env_id("escape-the-room") == "FunctionQuest/EscapeTheRoom-v0"
    for lv in levels:
        spec = gym.spec(fq.env_id(lv["id"]))
        assert spec.vector_entry_point == "function_quest.vector:FunctionQuestVectorEnv"
    env = gym.make("FunctionQuest/LaunchTheSpaceship-v0").unwrapped
    ship = next(lv for lv in levels if lv["id"] == "launch-the-spaceship")
    assert env.action_space == gym.spaces.Discrete(len(ship["actions"]))
    assert env.observation_space.shape == (len(ship["observation"]),)
    assert env.action_labels == ship["actions"]
    assert env.observation_names == ship["observation"]
    env.close()


def test_all_levels_pads_spaces_and_names_the_level_in_the_observation():
    levels = fq.describe()["levels"]
    env = gym.make(fq.ALL_LEVELS_ID).unwrapped
    widest = max(len(lv["observation"]) for lv in levels)
    assert env.observation_space.shape == (widest + len(levels),)
    assert env.action_space.n == max(len(lv["actions"]) for lv in levels)
    seen = set()
    for s in range(12):
        obs, info = env.reset(seed=s)
        k = [lv["id"] for lv in levels].index(info["level"])
        assert obs[widest + k] == 1.0 and obs[widest:].sum() == 1.0
        n = len(levels[k]["actions"])
        assert info["action_mask"][n:].sum() == 0  # padded actions are never legal
        seen.add(info["level"])
    assert len(seen) > 3
    obs, info = env.reset(options={"level": "the-forge"})
    assert info["level"] == "the-forge"
    _obs, _reward, _te, _tr, info = env.step(int(np.flatnonzero(info["action_mask"])[0]))
    # A padded action is refused by the engine like any illegal action: a step and points lost.
    _obs, reward, _te, _tr, info = env.step(env.action_space.n - 1)
    assert info["rejected"] and reward < 0
    env.close()


def test_masks_are_int8_on_reset_and_step_and_masked_sampling_never_is_refused():
    env = gym.make("FunctionQuest/TheFloodDefences-v0")
    obs, info = env.reset(seed=4)
    total = 0.0
    for _ in range(200):
        assert info["action_mask"].dtype == np.int8
        a = env.action_space.sample(mask=info["action_mask"])
        obs, reward, terminated, truncated, info = env.step(a)
        assert not info["rejected"]
        assert obs.dtype == np.float32 and env.observation_space.contains(obs)
        total += reward
        if terminated or truncated:
            # Rewards are potential-based: an episode's sum is its final score / 200.
            assert total == pytest.approx(info["score"] / 200)
            total = 0.0
            obs, info = env.reset()
    env.close()


def test_seeding_follows_gymnasium():
    env = gym.make("FunctionQuest/TheFloodDefences-v0").unwrapped

    def episode(seed=None):
        obs, info = env.reset(seed=seed)
        trace = [info["seed"]]
        for _ in range(30):
            a = int(np.flatnonzero(info["action_mask"])[0]) if info["action_mask"].any() else 0
            obs, r, te, tr, info = env.step(a)
            trace.append((round(r, 9), te, tr, obs.tobytes()))
            if te or tr:
                break
        return trace

    first = episode(7)
    assert episode(7) == first  # the same seed, the same episode
    assert first[0] == 7
    a, b = episode(), episode()  # no seed: the env's own generator continues
    assert a[0] != b[0] and a[0] != 7
    episode(7)
    assert episode()[0] == a[0]  # reseeding restarts that generator
    for bad in (2**32, -1, 2**64):
        with pytest.raises(ValueError, match=r"\[0, 2\*\*32 - 1\]"):
            env.reset(seed=bad)
    with pytest.raises(TypeError, match="integer"):
        env.reset(seed=1.5)
    env.reset(seed=2**32 - 1)  # the largest seed is fine
    env.close()


def test_ansi_render_shows_calls_flow_pools_and_score():
    env = gym.make("FunctionQuest/OrchestrateTheFestival-v0", render_mode="ansi")
    _obs, info = env.reset(seed=1)
    _obs, _r, _te, _tr, info = env.step(int(np.flatnonzero(info["action_mask"])[0]))
    text = env.render()
    assert "Orchestrate the Festival" in text
    assert "calls:" in text and "flow " in text and "requesting" in text
    assert "pool " in text and "points earned so far" in text
    env.close()


def test_refuses_actions_outside_the_space():
    env = fq.FunctionQuestEnv("escape-the-room")
    env.reset(seed=0)
    with pytest.raises(ValueError, match="action must be in"):
        env.step(99)
    env.close()


def test_unknown_level_and_render_mode_are_named():
    with pytest.raises(ValueError, match="unknown level 'escape-the-castle'"):
        fq.FunctionQuestEnv("escape-the-castle")
    with pytest.raises(ValueError, match="render_mode"):
        fq.FunctionQuestEnv("escape-the-room", render_mode="rgb_array")


def test_a_recovery_decision_is_an_ordinary_masked_action():
    # Launch the Spaceship lets the player choose: its calibrator fails for good on the first run.
    env = gym.make("FunctionQuest/LaunchTheSpaceship-v0").unwrapped
    labels = env.action_labels
    assert {"retry(calibrate_systems)", "fallback(calibrate_systems)"} <= set(labels)
    _obs, info = env.reset(seed=1)
    assert not any(
        info["action_mask"][labels.index(a)] for a in labels if a.startswith(("retry(", "fallback(", "skip("))
    )
    env.step(labels.index("inspect_hull"))
    _obs, _r, _te, _tr, info = env.step(labels.index("calibrate_systems"))
    legal = {labels[i] for i in np.flatnonzero(info["action_mask"])}
    assert legal == {"retry(calibrate_systems)", "fallback(calibrate_systems)"}
    names = env.observation_names
    obs, _r, _te, _tr, info = env.step(labels.index("fallback(calibrate_systems)"))
    assert obs[names.index("decision.pending")] == 0.0
    assert "fallback(calibrate_systems)" not in {labels[i] for i in np.flatnonzero(info["action_mask"])}
    env.close()


def test_generated_levels_come_from_the_engine_and_share_the_shipped_levels_spaces():
    env = gym.make(fq.GENERATED_ID, pool=6, tiers=(1, 2, 3), seed=40).unwrapped
    assert env.observation_space.shape == (fq.GENERATED_PAD[0],)
    assert env.action_space.n == fq.GENERATED_PAD[1]
    assert [lv["id"] for lv in env.levels.levels] == [f"generated-t{1 + k % 3}-{40 + k}" for k in range(6)]
    seen = set()
    for s in range(10):
        obs, info = env.reset(seed=s)
        seen.add(info["level"])
        n = len(env.action_labels)
        assert info["action_mask"][n:].sum() == 0 and info["action_mask"][:n].sum() > 0
        assert obs[len(env.observation_names) :].sum() == 0.0  # padding, no one-hot
    assert len(seen) > 2
    # The same reset seed draws the same level and the same first observation.
    a, _ = env.reset(seed=3)
    b, _ = env.reset(seed=3)
    assert np.array_equal(a, b)
    env.close()
    # The shipped levels fit the same spaces, held out for evaluation.
    held_out = fq.FunctionQuestEnv(None, pad=fq.GENERATED_PAD, onehot=False)
    assert held_out.observation_space == env.observation_space and held_out.action_space == env.action_space
    held_out.close()


def test_role_features_follow_the_engine_description_mask_and_statuses():
    """`roles=True`: each action slot's features, in action order, from the engine's description and state."""
    levels = {lv["id"]: lv for lv in fq.describe()["levels"]}
    k = len(fq.ROLE_FEATURES)
    col = {name: i for i, name in enumerate(fq.ROLE_FEATURES)}
    env = fq.FunctionQuestEnv(None, pad=fq.GENERATED_PAD, onehot=False, roles=True)
    try:
        check_env(env, skip_render_check=True)
        assert env.observation_space.shape == (fq.GENERATED_PAD[0] + fq.GENERATED_PAD[1] * k,)
        for level_id in ("escape-the-room", "launch-the-spaceship"):
            roles = levels[level_id]["action_roles"]
            obs, info = env.reset(seed=3, options={"level": level_id})
            for _ in range(6):
                f = obs[fq.GENERATED_PAD[0] :].reshape(fq.GENERATED_PAD[1], k)
                # Legal is the mask; padded slots beyond the level's actions are all zero.
                assert np.array_equal(f[:, col["legal"]], info["action_mask"].astype(np.float32))
                assert not f[len(roles) :].any()
                names = env.observation_names
                for a, r in enumerate(roles):
                    assert f[a, col[f"kind.{r['kind']}"]] == 1.0
                    assert f[a, col["relevant"]] == float(r["relevant"])
                    # Done: every function the action acts on is done, as the observation says.
                    done = [obs[names.index(f"fn.{fn}.done")] for fn in r["fns"]]
                    assert f[a, col["done"]] == (float(min(done)) if done else 0.0)
                legal = np.flatnonzero(info["action_mask"])
                if not len(legal):
                    break
                obs, _r, terminated, truncated, info = env.step(int(legal[0]))
                if terminated or truncated:
                    break
            # The engine marks some actions of each level as unable to contribute, and others as able.
            assert any(r["relevant"] for r in roles)
        assert not all(r["relevant"] for r in levels["escape-the-room"]["action_roles"])
    finally:
        env.close()
