import json
import subprocess

import minari
import numpy as np
import pytest

import function_quest as fq
from function_quest._engine import cli_path
from function_quest.minari import drop_undos, to_minari

RECORD = """
import { recordEpisode, datasetHeader, toJsonl } from "%s";
import { getLevel, LEVELS } from "%s";
const level = getLevel("escape-the-room");
const eps = [
  recordEpisode({ level, actions: ["search_drawer", "undo", "find_key", "unlock_door(rusty_key)", "open_door"],
                  provenance: "human", episodeId: "h-1", seed: 4 }),
  recordEpisode({ level, actions: ["search_drawer", "find_key", "undo", "undo", "find_key", "unlock_door(rusty_key)",
                                   "open_door"], provenance: "human", episodeId: "h-2", seed: 5 }),
  recordEpisode({ level, actions: level.solutions.basic.steps, provenance: "bot", episodeId: "b-1" }),
];
process.stdout.write(toJsonl(datasetHeader("t", eps, LEVELS), eps));
"""


@pytest.fixture
def dataset(tmp_path):
    lib = cli_path().parents[1]
    script = RECORD % (lib / "engine" / "index.js", lib / "levels" / "index.js")
    text = subprocess.run(
        ["node", "--input-type=module", "-e", script], check=True, capture_output=True, text=True
    ).stdout
    path = tmp_path / "demos.jsonl"
    path.write_text(text)
    return path


def test_undo_pairs_are_dropped_and_the_return_still_equals_the_score(dataset):
    lines = [json.loads(x) for x in dataset.read_text().splitlines()[1:]]
    for ep in lines:
        d = drop_undos(ep)
        assert (d["actions"] >= 0).all()
        assert len(d["observations"]) == len(d["actions"]) + 1
        assert d["rewards"].sum() * 200 == pytest.approx(ep["score"]["total"])
    d = drop_undos(lines[1])
    assert d["undos"] == 2 and len(d["actions"]) == 3  # search_drawer and find_key were undone; 3 steps win
    # After the pairs are gone the observations still follow each other: the one after the last undo is the
    # initial one, so the first kept step starts from it.
    assert np.array_equal(d["observations"][0], np.asarray(lines[1]["observations"][0], np.float32))


def test_round_trip_into_minari_and_back(dataset, tmp_path, monkeypatch):
    monkeypatch.setenv("MINARI_DATASETS_PATH", str(tmp_path / "minari"))
    made = to_minari(dataset, version=0, ref_episodes=2)
    assert made == ["function-quest/escape-the-room/bot-v0", "function-quest/escape-the-room/human-v0"]
    ds = minari.load_dataset("function-quest/escape-the-room/human-v0")
    assert ds.total_episodes == 2
    assert list(ds.episode_indices) == [0, 1]
    env = ds.recover_environment()
    assert env.spec.id == fq.env_id("escape-the-room")
    assert isinstance(env.unwrapped, fq.FunctionQuestEnv)
    meta = ds.storage.metadata
    assert 0 < meta["ref_min_score"] < meta["ref_max_score"] == 1.0
    for ep in ds.iterate_episodes():
        assert env.action_space.contains(int(ep.actions[0]))
        assert ep.observations.shape == (len(ep.actions) + 1, *env.observation_space.shape)
    env.close()
