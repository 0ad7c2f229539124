"""mmengine's early stopping, with its patience counter kept in the checkpoints."""

from __future__ import annotations

from mmaction.registry import HOOKS
from mmengine.hooks import EarlyStoppingHook

_INFO_KEY = 'early_stopping'


@HOOKS.register_module()
class ResumableEarlyStoppingHook(EarlyStoppingHook):
    """:class:`mmengine.hooks.EarlyStoppingHook` whose state survives a resume.

    mmengine's hook keeps the best score and the count of epochs without a better
    one in memory only: a run resumed after epoch ``e`` starts counting again and
    stops later than the uninterrupted run. This hook keeps both in the message
    hub's runtime info, which every checkpoint holds and only a resume reads back
    (as mmengine's ``CheckpointHook`` does with its best score). Same arguments as
    mmengine's hook.

    Its priority is ``VERY_LOW`` (mmengine's: ``LOWEST``), so that its state is
    back before :class:`ValidateOnResumeHook` re-runs a validation.
    """

    priority = 'VERY_LOW'

    def before_train(self, runner) -> None:
        state = runner.message_hub.get_info(_INFO_KEY)
        if state is not None and state.get('monitor') == self.monitor:
            self.best_score, self.wait_count = state['best_score'], state['wait_count']

    def after_val_epoch(self, runner, metrics) -> None:
        super().after_val_epoch(runner, metrics)
        runner.message_hub.update_info(
            _INFO_KEY,
            dict(
                monitor=self.monitor, best_score=float(self.best_score), wait_count=self.wait_count
            ),
        )
