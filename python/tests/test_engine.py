import os
import stat
import time

import pytest

import function_quest as fq
from function_quest._engine import Engine, EngineCrashedError, EngineError


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; it only waits to be reaped.
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split()[2] != "Z"


def test_a_dead_engine_raises_with_its_cause_and_never_hangs():
    env = fq.FunctionQuestEnv("escape-the-room", timeout=10)
    env.reset(seed=0)
    os.kill(env._engine.pid, 9)
    t = time.monotonic()
    with pytest.raises(EngineCrashedError, match=r"exited with code -9"):
        env.step(0)
    assert time.monotonic() - t < 5
    env.close()


def test_the_crash_message_carries_the_last_stderr_lines(tmp_path, monkeypatch):
    fake = tmp_path / "fq.js"
    fake.write_text("process.stderr.write('engine exploded: out of cheese\\n'); process.exit(3);\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("FUNCTION_QUEST_CLI", str(fake))
    e = Engine(timeout=10)
    with pytest.raises(EngineCrashedError) as err:
        e.request("D")
    assert "exited with code 3" in str(err.value)
    assert "engine exploded: out of cheese" in str(err.value)
    e.close()


def test_a_silent_engine_times_out_instead_of_hanging(tmp_path, monkeypatch):
    fake = tmp_path / "fq.js"
    fake.write_text("setInterval(() => {}, 1000);\n")
    monkeypatch.setenv("FUNCTION_QUEST_CLI", str(fake))
    e = Engine(timeout=1)
    t = time.monotonic()
    with pytest.raises(EngineCrashedError, match="did not answer within 1 s"):
        e.request("D")
    assert time.monotonic() - t < 4
    pid = e.pid
    e.close()
    assert not alive(pid)


def test_closing_ends_the_process_and_dropping_the_env_does_too():
    env = fq.FunctionQuestEnv("escape-the-room")
    pid = env._engine.pid
    assert alive(pid)
    env.close()
    assert not alive(pid)
    env2 = fq.FunctionQuestEnv("escape-the-room")
    pid2 = env2._engine.pid
    del env2
    import gc

    gc.collect()
    assert not alive(pid2)


def test_engine_refusals_are_errors_that_say_why():
    e = Engine()
    with pytest.raises(EngineError, match="unknown opcode"):
        e.request("X")
    e.make(1, 10, 10)
    with pytest.raises(EngineError, match="has no episode: reset it first"):
        e.step_one(0, 0, 0, 0)
    e.close()
    with pytest.raises(EngineError, match="closed"):
        e.request("D")


def test_a_missing_engine_says_how_to_build_it(monkeypatch, tmp_path):
    monkeypatch.setenv("FUNCTION_QUEST_CLI", str(tmp_path / "nowhere.js"))
    with pytest.raises(EngineError, match="npm ci"):
        Engine()
