"""The audio-visual recognizer: two backbones over N snippets, attention necks, fusion."""

from __future__ import annotations

import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.model import BaseModel
from torch import Tensor

from ...modalities import MODALITIES
from ..heads.cross_attention_fusion_head import CrossAttentionFusionHead


@MODELS.register_module()
class AVRecognizer(BaseModel):
    """Audio-visual emotion recognizer with MMAction2's recognizer API.

    ``forward(inputs, data_samples, mode)`` with ``mode`` ``'loss'`` (a dict of
    losses), ``'predict'`` (data samples with ``pred_score``, ``pred_label`` and
    ``embedding``) or ``'tensor'`` (the head's raw outputs); :meth:`extract_feat`
    gives the branch features. ``inputs`` is the dict packed by
    ``PackActionInputs(collect_keys=('imgs', 'audios'))``:

    - ``imgs``: ``[B, N, 3, k, Y, X]``, N snippets of k frames; the video backbone
      (Hara's 3D ResNet, or any MMAction2 3D backbone) runs on ``[B*N, 3, k, Y, X]``;
    - ``audios``: ``[B, N, 1, F, L]``, N spectrogram segments; the audio backbone
      (ResNet-18, or MMAction2's ``ResNet`` / ``ResNetAudio``) runs on
      ``[B*N, 1, F, L]``.

    The head's ``modality`` decides which branches exist: the unimodal ablations
    build no backbone for the other modality, and ignore its inputs.

    An audio-visual model can be *run* with one modality (``test_cfg=dict(modality=
    'video')`` or ``'audio'``, also ``--cfg-options model.test_cfg.modality=video``):
    in ``predict`` and ``tensor`` mode the other modality's input is replaced by
    zeros, which is exactly a silent clip for the per-segment normalised
    spectrograms, and a face of the mean colour for the normalised frames. Training
    always uses both.

    Args:
        cls_head (dict): A :class:`CrossAttentionFusionHead` config.
        video_backbone (dict, optional): Needed unless the head is audio-only.
        video_neck (dict, optional): ``VisualAttentionNeck``; needed with the video
            backbone.
        audio_backbone (dict, optional): Needed unless the head is video-only.
        audio_neck (dict, optional): ``AudioAttentionNeck``; needed with the audio
            backbone.
        data_preprocessor (dict, optional): Usually ``MultiModalDataPreprocessor``
            with one ``ActionDataPreprocessor`` per modality.
        train_cfg (dict, optional): ``modality_dropout`` (float in [0, 0.5]): the
            probability, per training clip, that its audio is zeroed, and the same
            probability that its video is zeroed instead (never both). Not in the
            paper (0.0, the default); meant for models that must run with one
            modality missing (README, Results: how a fused model does on one
            modality without it). Defaults to ``None``.
        test_cfg (dict, optional): ``modality``: ``'audio-visual'`` (the default),
            ``'video'`` or ``'audio'``, the inputs used at test time.
            Defaults to ``None``.
        init_cfg (dict, optional): Initialisation. Defaults to ``None``.
    """

    def __init__(
        self,
        cls_head: dict,
        video_backbone: dict | None = None,
        video_neck: dict | None = None,
        audio_backbone: dict | None = None,
        audio_neck: dict | None = None,
        data_preprocessor: dict | None = None,
        train_cfg: dict | None = None,
        test_cfg: dict | None = None,
        init_cfg: dict | None = None,
    ) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.modality_dropout = float((train_cfg or {}).get('modality_dropout', 0.0))
        if not 0.0 <= self.modality_dropout <= 0.5:
            raise ValueError(
                f'train_cfg.modality_dropout must lie in [0, 0.5], got {self.modality_dropout}'
            )
        self.test_cfg = dict(test_cfg or {})
        self.test_modality = self.test_cfg.get('modality', 'audio-visual')
        if self.test_modality not in MODALITIES:
            raise ValueError(
                f'test_cfg.modality must be one of {MODALITIES}, got {self.test_modality!r}'
            )
        self.cls_head: CrossAttentionFusionHead = MODELS.build(cls_head)
        modality = self.cls_head.modality
        self.uses_video = modality in ('audio-visual', 'video')
        self.uses_audio = modality in ('audio-visual', 'audio')
        for name, needed, parts in (
            ('video', self.uses_video, (video_backbone, video_neck)),
            ('audio', self.uses_audio, (audio_backbone, audio_neck)),
        ):
            if needed and None in parts:
                raise ValueError(
                    f"cls_head.modality='{modality}' needs {name}_backbone and {name}_neck"
                )
        self.video_backbone = MODELS.build(video_backbone) if self.uses_video else None
        self.video_neck = MODELS.build(video_neck) if self.uses_video else None
        self.audio_backbone = MODELS.build(audio_backbone) if self.uses_audio else None
        self.audio_neck = MODELS.build(audio_neck) if self.uses_audio else None
        if modality != 'audio-visual' and self.test_modality not in ('audio-visual', modality):
            raise ValueError(
                f"test_cfg.modality='{self.test_modality}' needs the "
                f'{self.test_modality} branch, but this model is {modality}-only'
            )

    def set_dataset_meta(self, metainfo: dict) -> None:
        """Take class polarities from the dataset, and check the class count.

        Raises:
            ValueError: The dataset has a different number of classes than the head.
        """
        classes = metainfo.get('classes', ())
        if classes and len(classes) != self.cls_head.num_classes:
            raise ValueError(
                f'the dataset has {len(classes)} classes {tuple(classes)}, but the head '
                f'predicts {self.cls_head.num_classes}: set cls_head.num_classes'
            )
        loss = self.cls_head.loss_metric
        if loss is not None and hasattr(loss, 'set_polarities') and 'polarities' in metainfo:
            loss.set_polarities(metainfo['polarities'])

    def extract_feat(
        self, inputs: dict[str, Tensor], return_attention: bool = False
    ) -> tuple[Tensor | None, Tensor | None, dict[str, Tensor]]:
        """Branch features.

        Returns:
            tuple: ``D^AT`` ``[B, N, m']`` (or None), ``D^VT`` ``[B, N, m']`` (or
            None), and on request the necks' attention weights under
            ``video_spatial``, ``video_channel``, ``video_temporal``,
            ``audio_temporal``.
        """
        attention: dict[str, Tensor] = {}
        audio = video = None
        if self.uses_video:
            imgs = inputs['imgs']  # [B, N, 3, k, Y, X]
            batch, snippets = imgs.shape[:2]
            # FormatShape transposes without a copy, so the clips arrive channels-last;
            # oneDNN's bf16 weight gradient of a 3D conv on that layout took minutes a
            # step on the CPU (0.2 s contiguous)
            clips = imgs.flatten(0, 1).contiguous()  # [B*N, 3, k, Y, X]
            feats = _last(self.video_backbone(clips))  # [B*N, m, k', h, w]
            video, weights = self.video_neck(feats, snippets, return_attention)  # [B, N, m']
            attention.update({f'video_{k}': v for k, v in weights.items()})
        if self.uses_audio:
            audios = inputs['audios']  # [B, N, 1, F, L]
            snippets = audios.shape[1]
            feats = _last(self.audio_backbone(audios.flatten(0, 1)))  # [B*N, m, h, w]
            audio, weights = self.audio_neck(feats, snippets, return_attention)  # [B, N, m']
            attention.update({f'audio_{k}': v for k, v in weights.items()})
        return audio, video, attention

    def drop_modalities(self, inputs: dict[str, Tensor]) -> dict[str, Tensor]:
        """Zero the audio of some training clips and the video of others (never both)."""
        p = self.modality_dropout
        if not (self.training and p > 0 and self.uses_audio and self.uses_video):
            return inputs
        draw = torch.rand(inputs['imgs'].shape[0], device=inputs['imgs'].device)  # [B]
        keep_audio = (draw >= p).to(inputs['audios'].dtype)
        keep_video = ((draw < p) | (draw >= 2 * p)).to(inputs['imgs'].dtype)
        return dict(
            inputs,
            audios=inputs['audios'] * keep_audio.view(-1, *[1] * (inputs['audios'].dim() - 1)),
            imgs=inputs['imgs'] * keep_video.view(-1, *[1] * (inputs['imgs'].dim() - 1)),
        )

    def select_test_inputs(self, inputs: dict[str, Tensor]) -> dict[str, Tensor]:
        """Zero the input that ``test_cfg.modality`` leaves out (see the class doc)."""
        inputs = dict(inputs)
        if self.uses_audio and self.test_modality == 'video':
            inputs['audios'] = torch.zeros_like(inputs['audios'])
        if self.uses_video and self.test_modality == 'audio':
            inputs['imgs'] = torch.zeros_like(inputs['imgs'])
        return inputs

    def forward(
        self,
        inputs: dict[str, Tensor],
        data_samples: list[ActionDataSample] | None = None,
        mode: str = 'tensor',
    ) -> dict[str, Tensor] | list[ActionDataSample]:
        """Run the model in one of mmengine's three modes.

        Args:
            inputs (dict[str, Tensor]): From the data preprocessor: ``imgs``
                ``[B, N, 3, k, Y, X]`` and/or ``audios`` ``[B, N, 1, F, L]``, as the
                head's ``modality`` needs.
            data_samples (list[ActionDataSample], optional): One per clip, with
                ``gt_label`` for ``'loss'``; filled in by ``'predict'``. Unused by
                ``'tensor'``. Defaults to ``None``.
            mode (str): ``'loss'`` (training: ``train_cfg.modality_dropout`` applies),
                ``'predict'`` or ``'tensor'`` (both honour ``test_cfg.modality``).
                Defaults to ``'tensor'``.

        Returns:
            dict[str, Tensor] | list[ActionDataSample]: ``'loss'``: ``loss_cls``,
            ``loss_metric`` (when configured) and ``top1_acc``; ``'predict'``: the data
            samples with ``pred_score`` ``[K]``, ``pred_label`` ``[1]`` and
            ``embedding`` ``[E]``; ``'tensor'``: the head's outputs, ``logits``
            ``[B, K]``, ``embedding`` ``[B, E]`` and the fusion's tensors
            (:meth:`CrossAttentionFusionHead.forward`).

        Raises:
            RuntimeError: For any other ``mode``.
        """
        if mode == 'loss':
            audio, video, _ = self.extract_feat(self.drop_modalities(inputs))
            return self.cls_head.loss(audio, video, data_samples)
        if mode == 'predict':
            audio, video, _ = self.extract_feat(self.select_test_inputs(inputs))
            return self.cls_head.predict(audio, video, data_samples)
        if mode == 'tensor':
            audio, video, _ = self.extract_feat(self.select_test_inputs(inputs))
            return self.cls_head(audio, video)
        raise RuntimeError(f'Invalid mode "{mode}": only "loss", "predict" and "tensor" exist')


def _last(feats):
    """MMAction2 backbones return a tensor, or a tuple when several stages are out."""
    return feats[-1] if isinstance(feats, (tuple, list)) else feats
