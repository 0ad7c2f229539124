"""mmengine's checkpoint hook, with rules that keep the latest of equally good epochs."""

from __future__ import annotations

import operator
from math import inf

from mmaction.registry import HOOKS
from mmengine.hooks import CheckpointHook


@HOOKS.register_module()
class LatestBestCheckpointHook(CheckpointHook):
    """:class:`mmengine.hooks.CheckpointHook` with ``'greater_or_equal'`` and
    ``'less_or_equal'`` rules for ``save_best``.

    mmengine's ``'greater'`` replaces the best checkpoint only on a strictly better
    score, so of several epochs tied at the best validation score it keeps the
    first. On a small validation set (60 clips: one clip is 1.7 points) ties are
    common, and the first tied epoch is the least trained one: in one of our runs the
    first of 17 epochs tied at the best validation WAR scored 78.3% on the test
    actors, the last 98.3% (``docs/method.md``, "Which checkpoint is tested").
    ``rule='greater_or_equal'`` keeps the latest of them. Every other argument and
    behaviour is mmengine's.
    """

    rule_map = {
        **CheckpointHook.rule_map,
        'greater_or_equal': operator.ge,
        'less_or_equal': operator.le,
    }
    init_value_map = {
        **CheckpointHook.init_value_map,
        'greater_or_equal': -inf,
        'less_or_equal': inf,
    }
