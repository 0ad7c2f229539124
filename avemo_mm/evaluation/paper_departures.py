"""What each departure of a paper config from the paper's letter does, measured on the
config's own model (docs/method.md, "Departures from the paper").

A *variant* is the config's model with some options of its necks and head set to the
paper's letter (``configs/_base_/models/avemo_paper_letter.py``). Each variant's necks
and head are measured on the same backbone outputs: the backbones run once, and their
outputs are leaves that collect the gradient "reaching each backbone". Over a few
optimiser steps the backbones stay as they were (a backbone's training step at 224 px
with a batch of several clips does not fit a 24 GiB CPU machine); the necks and the
head train.
"""

from __future__ import annotations

import copy
import inspect

import torch
from mmaction.registry import MODELS
from mmengine.config import ConfigDict
from torch import Tensor, nn

from ..models.recognizers.av_recognizer import _last as last_stage
from .fusion_statistics import fusion_statistics

#: the parts of the model that the paper's letter sets (the backbones are the paper's)
LETTER_PARTS = ('video_neck', 'audio_neck', 'cls_head')


def setting(model_cfg: dict, part: str, option: str):
    """The value of ``model_cfg[part][option]``, or the module's default when unset."""
    part_cfg = model_cfg[part]
    if option in part_cfg:
        return part_cfg[option]
    default = inspect.signature(MODELS.get(part_cfg['type'])).parameters[option].default
    return ConfigDict(default) if isinstance(default, dict) else default


def departures(model_cfg: dict, letter: dict) -> dict[str, tuple]:
    """Each option on which ``model_cfg`` departs from the letter.

    Returns:
        dict[str, tuple]: ``'part.option'`` -> (the config's value, the letter's).
    """
    found = {}
    for part in LETTER_PARTS:
        for option, wanted in letter.get(part, {}).items():
            value = setting(model_cfg, part, option)
            if value != wanted:
                found[f'{part}.{option}'] = (value, wanted)
    return found


def variant_configs(model_cfg: dict, letter: dict) -> dict[str, dict]:
    """``'config'`` (as shipped), ``'part.option=letter'`` for each departure (that one
    option reverted) and ``'letter'`` (every option of the letter set, as the literal
    configs have it)."""
    variants = {'config': model_cfg}
    for key, (_, wanted) in departures(model_cfg, letter).items():
        part, option = key.split('.')
        variant = copy.deepcopy(model_cfg)
        variant[part][option] = wanted
        variants[f'{key}={wanted}'] = variant
    literal = copy.deepcopy(model_cfg)
    for part in LETTER_PARTS:
        literal[part].update(letter.get(part, {}))
    variants['letter'] = literal
    return variants


def backbone_outputs(model, inputs: dict[str, Tensor]) -> tuple[Tensor, Tensor]:
    """The two backbones' outputs, without a graph, in the model's current mode.

    Args:
        inputs (dict[str, Tensor]): ``imgs`` ``[B, N, 3, k, Y, X]`` and ``audios``
            ``[B, N, 1, F, L]``, as the data preprocessor gives them.

    Returns:
        tuple[Tensor, Tensor]: video ``[B*N, m, k', h, w]``, audio ``[B*N, m, h, w]``.
    """
    with torch.no_grad():
        clips = inputs['imgs'].flatten(0, 1).contiguous()
        video = last_stage(model.video_backbone(clips))
        audio = last_stage(model.audio_backbone(inputs['audios'].flatten(0, 1)))
    return video, audio


def _clip_spread(features: Tensor) -> float:
    """How much the clips differ: the std over clips of each clip's snippet average,
    relative to the std of all the features (0 when every clip gives the same)."""
    per_clip = features.mean(dim=1)  # [B, m']
    return float(per_clip.std(dim=0).mean() / features.std().clamp_min(1e-12))


def measure_step(model, video_out: Tensor, audio_out: Tensor, labels: Tensor) -> dict:
    """One forward and backward of the necks and the head from the backbone outputs.

    Leaves the gradients in the necks' and the head's parameters (the caller steps).

    Args:
        model: An audio-visual ``AVRecognizer``, or :func:`fusion_parts`, in training
            mode.
        video_out (Tensor): ``[B*N, m, k', h, w]``, from :func:`backbone_outputs`.
        audio_out (Tensor): ``[B*N, m, h, w]``.
        labels (Tensor): ``[B]`` class indices.

    Returns:
        dict: ``loss``; ``grad_video_backbone`` and ``grad_audio_backbone`` (mean
        |dL/d output| of each backbone) and their ratio ``gradient_ratio`` (video over
        audio); ``scale_ratio`` (the RMS of D^VT over that of D^AT, as the necks give
        them); ``clip_spread_video``/``_audio`` (:func:`_clip_spread` of each);
        ``embedding_silent`` (the share of embedding units whose ReLU input is <= 0
        for every clip: they pass no gradient); ``skip_tanh`` (whether the head has
        the tanh); and, with the cross-modal attention,
        :func:`fusion_statistics`, ``eq8_weight_sum_error``
        (the largest |1 - sum| of the weights that make one attended row: 0 for a
        weighted average), ``grad_correlation`` (|dL/dW| relative to the embedding
        layer's |dL/dW_embed|) and, when gated, ``grad_gate_audio``/``_video``.
    """
    head = model.cls_head
    video_out = video_out.detach().requires_grad_()
    audio_out = audio_out.detach().requires_grad_()
    snippets = video_out.shape[0] // labels.shape[0]
    video, _ = model.video_neck(video_out, snippets)  # [B, N, m']
    audio, _ = model.audio_neck(audio_out, snippets)
    relu_input = {}
    hook = head.embed_norm.register_forward_hook(
        lambda module, args, out: relu_input.__setitem__('x', out)
    )
    try:
        out = head(audio, video)
    finally:
        hook.remove()
    loss = head.loss_cls(out['logits'], labels)
    if head.loss_metric is not None:
        loss = loss + head.loss_metric(out['embedding'], labels)
    loss.backward()
    grad_video = float(video_out.grad.abs().mean())
    grad_audio = float(audio_out.grad.abs().mean())
    stats = dict(
        loss=loss.item(),
        grad_video_backbone=grad_video,
        grad_audio_backbone=grad_audio,
        gradient_ratio=grad_video / max(grad_audio, 1e-30),
        scale_ratio=float(
            video.detach().pow(2).mean().sqrt() / audio.detach().pow(2).mean().sqrt()
        ),
        clip_spread_video=_clip_spread(video.detach()),
        clip_spread_audio=_clip_spread(audio.detach()),
        embedding_silent=float((relu_input['x'] <= 0).all(dim=0).float().mean()),
        skip_tanh=isinstance(head.skip, nn.Tanh),
    )
    if 'w_audio' in out:
        stats.update(fusion_statistics(out, audio.detach(), video.detach()))
        # the weights behind attended row j: column j of W (weighted average) or row j
        # (the product as printed)
        w_audio = out['w_audio'].detach()
        weights = w_audio if head.eq8 == 'printed' else w_audio.transpose(1, 2)
        stats['eq8_weight_sum_error'] = float((weights.sum(dim=2) - 1).abs().max())
        embed_grad = head.fc_embed.weight.grad.norm()
        stats['grad_correlation'] = float(head.correlation.weight.grad.norm() / embed_grad)
        if head.cross_gate is not None:
            stats['grad_gate_audio'] = float(head.cross_gate.grad[0].abs())
            stats['grad_gate_video'] = float(head.cross_gate.grad[1].abs())
    return stats


def fusion_parts(model_cfg: dict, metainfo: dict) -> nn.Module:
    """The necks and the head of ``model_cfg``, initialised, in training mode (the
    backbones, which every variant shares, are not built)."""
    model = nn.Module()
    for part in LETTER_PARTS:
        module = MODELS.build(model_cfg[part])
        module.init_weights()
        setattr(model, part, module)
    loss = model.cls_head.loss_metric
    if loss is not None and hasattr(loss, 'set_polarities'):
        loss.set_polarities(metainfo['polarities'])
    return model.train()


def measure_variant(
    model_cfg: dict,
    optim_cfg: dict,
    video_out: Tensor,
    audio_out: Tensor,
    labels: Tensor,
    metainfo: dict,
    steps: int,
    seed: int,
) -> dict:
    """A variant's necks and head at initialisation and after ``steps`` optimiser steps
    on the one batch.

    Args:
        model_cfg (dict): The variant's model config.
        optim_cfg (dict): An ``optim_wrapper`` config (the training config's).
        video_out, audio_out (Tensor): The backbone outputs (:func:`backbone_outputs`).
        labels (Tensor): ``[B]``.
        metainfo (dict): The dataset's ``classes`` and ``polarities`` (the metric loss
            needs the polarities).
        steps (int): Optimiser steps.
        seed (int): Seeds the initialisation and the dropout, the same for every variant.

    Returns:
        dict: ``init`` and ``after`` (:func:`measure_step`), ``losses`` (one a step).
    """
    from mmengine.optim import build_optim_wrapper

    torch.manual_seed(seed)
    model = fusion_parts(model_cfg, metainfo)
    optim_wrapper = build_optim_wrapper(model, optim_cfg)
    losses, init = [], None
    for step in range(steps + 1):
        optim_wrapper.zero_grad()
        stats = measure_step(model, video_out, audio_out, labels)
        losses.append(stats['loss'])
        init = init or stats
        if step < steps:
            optim_wrapper.step()
    return dict(init=init, after=stats, losses=losses)


#: What shows a variant failing (docs/method.md, "Departures from the paper"): a name and
#: a test of :func:`measure_step`'s statistics. A departure stays in the paper configs
#: only where reverting it alone fails one of these at the configs' size.
FAILURES = (
    # the ratio of the gradients reaching the two backbones beyond 10x either way
    ('a backbone starved', lambda s: not 0.1 <= s['gradient_ratio'] <= 10),
    # W of Corr gets no gradient (zero to float precision against the embedding layer's)
    ('W without gradient', lambda s: s.get('grad_correlation', 1.0) < 1e-6),
    # a branch's clip averages spread less than 5% of its features' spread
    ('clips alike', lambda s: min(s['clip_spread_video'], s['clip_spread_audio']) < 0.05),
    # the softmax of Corr near one-hot: its gradient vanishes
    ('attention saturated', lambda s: s.get('attention_max_weight', 0.0) > 0.9),
    # most skip sums in the tanh's flat part (7% of the gradient or less)
    (
        'tanh saturated',
        lambda s: (
            s['skip_tanh']
            and max(s.get('tanh_saturated_audio', 0.0), s.get('tanh_saturated_video', 0.0)) > 0.5
        ),
    ),
    # an attended row's weights do not sum to one (Eq. 8 says a weighted average)
    ('not a weighted average', lambda s: s.get('eq8_weight_sum_error', 0.0) > 0.01),
    # a quarter of the embedding units pass no gradient from the classifier
    ('embedding silent', lambda s: s['embedding_silent'] > 0.25),
)


def failures(variant: dict) -> list[str]:
    """The names of :data:`FAILURES` that a variant shows at initialisation or after
    its optimiser steps (:func:`measure_variant`'s result)."""
    return [
        name for name, failed in FAILURES if failed(variant['init']) or failed(variant['after'])
    ]


#: the table's columns: (heading, statistic, format)
TABLE_COLUMNS = (
    ('gradient video / audio', 'gradient_ratio', '.3g'),
    ('RMS D^VT / D^AT', 'scale_ratio', '.3g'),
    ('clip spread D^VT', 'clip_spread_video', '.3f'),
    ('clip spread D^AT', 'clip_spread_audio', '.3f'),
    ('attention max weight', 'attention_max_weight', '.3f'),
    ('tanh flat share A / V', ('tanh_saturated_audio', 'tanh_saturated_video'), '.2f'),
    ('\\|dL/dW\\| / \\|dL/dW_embed\\|', 'grad_correlation', '.3g'),
    ('\\|dL/dg\\| A / V', ('grad_gate_audio', 'grad_gate_video'), '.3g'),
    ('Eq. 8 weight-sum error', 'eq8_weight_sum_error', '.2f'),
    ('silent embedding units', 'embedding_silent', '.2f'),
)


def _cell(stats: dict, keys, fmt: str) -> str:
    keys = keys if isinstance(keys, tuple) else (keys,)
    if any(k not in stats for k in keys):
        return '-'
    return ' / '.join(format(stats[k], fmt) for k in keys)


def departures_table(result: dict, when: str = 'init') -> str:
    """A markdown table of :func:`measure_variant`'s statistics for every variant.

    Args:
        result (dict): ``tools/analysis/measure_departures.py``'s JSON.
        when (str): ``'init'`` or ``'after'`` (the optimiser steps). Defaults to
            ``'init'``.
    """
    head = ['variant', *(h for h, _, _ in TABLE_COLUMNS), 'loss', 'fails (at init or after)']
    lines = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    for name, variant in result['variants'].items():
        stats = variant[when]
        cells = [_cell(stats, keys, fmt) for _, keys, fmt in TABLE_COLUMNS]
        fails = ', '.join(failures(variant)) or '-'
        lines.append(f'| {name} | ' + ' | '.join(cells) + f' | {stats["loss"]:.3f} | {fails} |')
    return '\n'.join(lines)
