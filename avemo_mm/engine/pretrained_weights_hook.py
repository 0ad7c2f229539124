"""Warn when a config meant to fine-tune pretrained backbones starts without them."""

from __future__ import annotations

from mmaction.registry import HOOKS
from mmengine.hooks import Hook


@HOOKS.register_module()
class PretrainedWeightsHook(Hook):
    """Before training, warn for each backbone whose ``pretrained`` file is not set.

    The paper fine-tunes Kinetics and ImageNet weights (Sec. 4.2); its configs leave
    ``pretrained=None`` because the files cannot ship with the code. Started as they
    are, they train from scratch, which is a different experiment: this hook says so
    and names the config key and the file to fetch. Nothing is said when the whole
    model comes from a checkpoint (``load_from`` or ``--resume``), or for a backbone
    the config does not build (the single-modality ablations).

    Args:
        weights (dict[str, str]): Model key (``'video_backbone'``) -> the file to
            fetch and where it comes from.
    """

    priority = 'VERY_LOW'

    def __init__(self, weights: dict[str, str]) -> None:
        self.weights = dict(weights)

    def missing(self, cfg) -> list[str]:
        """The warnings that ``cfg`` calls for, one line each."""
        if cfg.get('load_from') or cfg.get('resume'):
            return []
        lines = []
        for key, source in self.weights.items():
            backbone = cfg.model.get(key)
            if backbone and not backbone.get('pretrained'):
                lines.append(
                    f'model.{key}.pretrained is not set: this config fine-tunes pretrained '
                    f'weights (the paper, Sec. 4.2) but will train {backbone["type"]} from '
                    f'scratch. Fetch {source} and pass '
                    f'--cfg-options model.{key}.pretrained=PATH (README, Pretrained weights).'
                )
        return lines

    def before_train(self, runner) -> None:
        for line in self.missing(runner.cfg):
            runner.logger.warning(line)
