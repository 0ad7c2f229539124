"""The audio-visual recognizer: two backbones over N snippets, attention necks, fusion."""

from __future__ import annotations

from mmaction.registry import MODELS
from mmengine.model import BaseModel
from torch import Tensor

from ..heads.cross_attention_fusion_head import CrossAttentionFusionHead


@MODELS.register_module()
class AVRecognizer(BaseModel):
    """Audio-visual emotion recognizer with MMAction2's recognizer API.

    ``forward(inputs, data_samples, mode)`` with ``mode`` ``'loss'`` (a dict of
    losses), ``'predict'`` (data samples with ``pred_score``, ``pred_label`` and
    ``embedding``) or ``'tensor'`` (the head's raw outputs); :meth:`extract_feat`
    gives the branch features. ``inputs`` is the dict packed by
    ``PackActionInputs(collect_keys=('imgs', 'audios'))``:

    - ``imgs``: ``[B, N, C, T, H, W]``, N snippets of T frames; the video backbone
      (Hara's 3D ResNet, or any MMAction2 3D backbone) runs on ``[B*N, C, T, H, W]``;
    - ``audios``: ``[B, N, 1, F, T]``, N spectrogram segments; the audio backbone
      (ResNet-18, or MMAction2's ``ResNet`` / ``ResNetAudio``) runs on
      ``[B*N, 1, F, T]``.

    The head's ``modality`` decides which branches exist: the unimodal ablations
    build no backbone for the other modality, and ignore its inputs.

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
        init_cfg: dict | None = None,
    ) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
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
            imgs = inputs['imgs']  # [B, N, C, T, H, W]
            batch, snippets = imgs.shape[:2]
            feats = _last(self.video_backbone(imgs.flatten(0, 1)))  # [B*N, m, T', h, w]
            video, weights = self.video_neck(feats, snippets, return_attention)  # [B, N, m']
            attention.update({f'video_{k}': v for k, v in weights.items()})
        if self.uses_audio:
            audios = inputs['audios']  # [B, N, 1, F, T]
            snippets = audios.shape[1]
            feats = _last(self.audio_backbone(audios.flatten(0, 1)))  # [B*N, C, h, w]
            audio, weights = self.audio_neck(feats, snippets, return_attention)  # [B, N, m']
            attention.update({f'audio_{k}': v for k, v in weights.items()})
        return audio, video, attention

    def forward(
        self, inputs: dict[str, Tensor], data_samples: list | None = None, mode: str = 'tensor'
    ):
        if mode == 'loss':
            audio, video, _ = self.extract_feat(inputs)
            return self.cls_head.loss(audio, video, data_samples)
        if mode == 'predict':
            audio, video, _ = self.extract_feat(inputs)
            return self.cls_head.predict(audio, video, data_samples)
        if mode == 'tensor':
            audio, video, _ = self.extract_feat(inputs)
            return self.cls_head(audio, video)
        raise RuntimeError(f'Invalid mode "{mode}": only "loss", "predict" and "tensor" exist')


def _last(feats):
    """MMAction2 backbones return a tensor, or a tuple when several stages are out."""
    return feats[-1] if isinstance(feats, (tuple, list)) else feats
