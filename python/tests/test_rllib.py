from function_quest.rllib import train


def test_two_env_runners_both_sample_in_a_two_iteration_run():
    import ray

    try:
        r = train(
            "FunctionQuest/EscapeTheRoom-v0",
            iterations=2,
            num_env_runners=2,
            train_batch=256,
            seed=1,
            log=lambda s: None,
        )
    finally:
        ray.shutdown()
    assert len(r["history"]) == 2
    assert r["history"][-1]["steps"] >= 512
    assert sorted(r["runner_steps"]) == [1, 2]
    assert all(n > 0 for n in r["runner_steps"].values()), r["runner_steps"]
