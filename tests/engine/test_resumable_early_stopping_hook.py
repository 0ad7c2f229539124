"""ResumableEarlyStoppingHook: the best score and the patience count survive a resume."""

from types import SimpleNamespace

from mmengine.logging import MessageHub

from avemo_mm.engine import ResumableEarlyStoppingHook


def _runner(hub):
    return SimpleNamespace(
        message_hub=hub,
        train_loop=SimpleNamespace(stop_training=False),
        logger=SimpleNamespace(info=lambda message: None),
    )


def _validate(hook, runner, war):
    hook.after_val_epoch(runner, dict(WAR=war))


def test_a_resumed_hook_stops_when_the_uninterrupted_one_does():
    hub = MessageHub.get_instance('test_resumable_early_stopping')
    uninterrupted = ResumableEarlyStoppingHook(monitor='WAR', rule='greater', patience=2)
    runner = _runner(hub)
    uninterrupted.before_train(runner)
    _validate(uninterrupted, runner, 50.0)
    _validate(uninterrupted, runner, 40.0)  # one epoch without a better score
    # the checkpoint holds the message hub's runtime info; a new hook reads it back
    resumed = ResumableEarlyStoppingHook(monitor='WAR', rule='greater', patience=2)
    resumed_runner = _runner(hub)
    resumed.before_train(resumed_runner)
    assert (resumed.best_score, resumed.wait_count) == (50.0, 1)
    _validate(resumed, resumed_runner, 45.0)
    assert resumed_runner.train_loop.stop_training


def test_a_fresh_run_or_another_monitor_starts_from_scratch():
    hub = MessageHub.get_instance('test_resumable_early_stopping_other')
    hub.update_info('early_stopping', dict(monitor='UAR', best_score=90.0, wait_count=3))
    hook = ResumableEarlyStoppingHook(monitor='WAR', rule='greater', patience=2)
    hook.before_train(_runner(hub))
    assert hook.wait_count == 0 and hook.best_score != 90.0
