import numpy as np
import pytest

from function_quest.datasets import bot_demos, transitions
from function_quest.train import PolicyAgent, TrainConfig, evaluate_policy, train


def run(tmp_path, name, **config):
    """A small, seeded training run in its own folder, without a progress bar."""
    return train(TrainConfig(out=str(tmp_path / name), progress_bar=False, **config))


def demos(tmp_path, level, bot="optimal", episodes=4):
    return bot_demos(level, tmp_path / f"{level}-{bot}.jsonl.gz", bot, episodes)


def test_maskable_ppo_learns_escape_the_room_from_scratch(tmp_path):
    r = run(tmp_path, "run", level="escape-the-room", timesteps=3072, seed=3, eval_every=1024, eval_episodes=2)
    first, last = r["curve"][0], r["curve"][-1]
    assert last[1] > first[1]  # it learned something
    assert r["final"][0] >= 151  # Master on the first level within a few thousand steps
    assert (tmp_path / "run" / "eval.csv").read_text().startswith("timesteps,mean_score,std_score")
    assert (tmp_path / "run" / "progress.csv").exists()
    agent = PolicyAgent.load(r["model"])
    assert isinstance(agent.model.predict(np.zeros(agent.model.observation_space.shape, np.float32))[0], np.ndarray)


def test_training_is_reproducible_for_a_seed(tmp_path):
    runs = [
        run(tmp_path, f"r{i}", level="the-royal-messenger", timesteps=1024, seed=5, eval_every=512, eval_episodes=1)
        for i in range(2)
    ]
    assert runs[0]["curve"] == runs[1]["curve"]


def test_behaviour_cloning_fits_the_demonstrations_before_any_ppo_step(tmp_path):
    d = demos(tmp_path, "the-forge")
    data = transitions(d, ["the-forge"], 200, 200)
    assert len(data) > 0 and data.masks[np.arange(len(data)), data.actions].all()  # every action was legal
    r = run(
        tmp_path,
        "bc",
        level="the-forge",
        timesteps=256,
        seed=2,
        eval_every=10_000,
        eval_episodes=2,
        demos=str(d),
        bc_epochs=60,
    )
    assert r["bc"]["accuracy"] == 1.0
    assert r["curve"][0][1] == 200.0  # the cloned policy plays the optimum before PPO has taken a step


def test_evaluate_policy_is_deterministic_and_masked(tmp_path):
    r = run(tmp_path, "e", level="escape-the-room", timesteps=512, seed=1, eval_every=10_000, eval_episodes=1)
    agent = PolicyAgent.load(r["model"])
    a = evaluate_policy(agent.model, "escape-the-room", 3)
    b = evaluate_policy(agent.model, "escape-the-room", 3)
    assert a == b and 0 <= a[0] <= 200


def test_tensorboard_logs_when_asked(tmp_path):
    run(
        tmp_path,
        "tb",
        level="escape-the-room",
        timesteps=256,
        seed=1,
        eval_every=10_000,
        eval_episodes=1,
        tensorboard=True,
    )
    assert list((tmp_path / "tb").glob("events.out.tfevents.*"))


def test_the_commands_name_bad_arguments(capsys):
    from function_quest import evaluate as evaluate_cli
    from function_quest import train as train_cli

    with pytest.raises(SystemExit) as e:
        train_cli.main(["--level", "escape-the-castle"])
    assert e.value.code == 2 and "unknown level 'escape-the-castle'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        train_cli.main(["--level", "escape-the-room", "--seed", str(2**32)])
    assert e.value.code == 2 and "[0, 2**32 - 1]" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        evaluate_cli.main(["--agents", "ppo"])
    assert e.value.code == 2 and "--agents ppo needs --model" in capsys.readouterr().err
    assert evaluate_cli.main(["--agents", "optimal", "--levels", "escape-the-room", "--episodes", "2"]) == 0
    out = capsys.readouterr().out
    assert "escape-the-room" in out and "200.0 ±   0.0" in out and "Grand Maestro 2" in out


def test_a_policy_trained_on_generated_levels_is_evaluated_on_the_shipped_ones_held_out(tmp_path):
    from function_quest.generalize import held_out, unseen_generated

    r = run(
        tmp_path, "gen", level="generated", pool=6, n_envs=1, timesteps=512, seed=2, eval_every=512, eval_episodes=2
    )
    agent = PolicyAgent.load(r["model"])
    # Trained in the generated levels' spaces; the shipped levels are played through the same ones.
    assert agent.model.observation_space.shape == (192,) and agent.model.action_space.n == 128
    scores = held_out(lambda: agent, episodes=1)
    assert len(scores) == 20 and all(0 <= s[0] <= 200 for s in scores.values())
    unseen = unseen_generated(lambda: agent, 3)
    assert len(unseen) == 3 and all(0 <= s <= 200 for s in unseen)
