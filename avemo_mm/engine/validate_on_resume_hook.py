"""On resume, run the validation that the checkpoint was saved before."""

from __future__ import annotations

from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.runner import EpochBasedTrainLoop


def validates_after(loop: EpochBasedTrainLoop, epoch: int) -> bool:
    """Whether the loop validates after ``epoch`` (1-based), by its own rule."""
    return epoch >= loop.val_begin and (epoch % loop.val_interval == 0 or epoch == loop.max_epochs)


@HOOKS.register_module()
class ValidateOnResumeHook(Hook):
    """A resumed run first validates the epoch its checkpoint ends with.

    mmengine's ``CheckpointHook`` saves ``epoch_e.pth`` after training epoch ``e``
    and before validating it, so the checkpoint's best score, best checkpoint and
    early-stopping count predate epoch ``e``'s validation. Resumed as is, the run
    would never validate epoch ``e``: it could keep another best checkpoint, or stop
    at another epoch, than the uninterrupted run. This hook runs that validation
    first (same weights, test-mode data: the same metrics), so every hook that
    listens to validation sees what the uninterrupted run saw.

    Its priority is ``LOWEST``: it runs after the hooks that read their state back
    from the checkpoint (``CheckpointHook``, ``ResumableEarlyStoppingHook``).
    """

    priority = 'LOWEST'

    def before_train(self, runner) -> None:
        loop = runner.train_loop
        if (
            not isinstance(loop, EpochBasedTrainLoop)
            or loop.epoch == 0  # nothing trained yet: a fresh run or a load_from
            or runner.val_loop is None
            or not validates_after(loop, loop.epoch)
        ):
            return
        runner.logger.info(f'Resumed after epoch {loop.epoch}: validating it first')
        runner.val_loop.run()
