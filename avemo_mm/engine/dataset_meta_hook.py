"""Hand the training dataset's metainfo (classes, polarities) to the model."""

from __future__ import annotations

from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper


@HOOKS.register_module()
class DatasetMetaHook(Hook):
    """Before training (and testing), give the model the dataset's ``metainfo``.

    ``AVRecognizer.set_dataset_meta`` takes the class polarities for the emotion
    metric loss from it, and checks that the head predicts as many classes as the
    dataset has, so a mismatch stops the run before its first step.
    """

    priority = 'VERY_HIGH'

    def _apply(self, runner, dataloader) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        dataset = getattr(dataloader, 'dataset', None)
        if dataset is not None and hasattr(model, 'set_dataset_meta'):
            model.set_dataset_meta(dataset.metainfo)

    def before_train(self, runner) -> None:
        self._apply(runner, runner.train_dataloader)

    def before_test(self, runner) -> None:
        self._apply(runner, runner.test_dataloader)
