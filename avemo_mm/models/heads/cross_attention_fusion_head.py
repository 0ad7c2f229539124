"""Cross-modal attention fusion and classification (the paper's Sec. 3.3)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor, nn

MODALITIES = ('audio-visual', 'audio', 'video')


@MODELS.register_module()
class CrossAttentionFusionHead(BaseModule):
    """Fuse ``D^AT`` and ``D^VT`` by cross-modal attention, then classify.

    With B clips, N snippets, m' channels:

    - ``Corr = D^AT W (D^VT)^T``, ``[B, N, N]``, W ``[m', m']`` learned (Xavier);
    - ``W^Audio`` = column-wise softmax of Corr, ``W^Video`` = of Corr^T;
    - ``D~^AT = W^Audio D^AT``, ``D~^VT = W^Video D^VT`` (Eq. 8);
    - ``D^Corr-AT = tanh(D^AT + D~^AT)``, ``D^Corr-VT = tanh(D^VT + D~^VT)``;
    - **Decision**: ``[D^Corr-VT ; D^Corr-AT]`` flattened to ``2 N m'`` -> FC ->
      embedding (``embed_channels``) -> ReLU -> dropout -> FC -> K logits.

    The embedding is what the metric loss and the t-SNE plots use. It is taken before
    the ReLU: with the ReLU inside, the metric loss drove every unit negative in our
    runs and the embedding collapsed to zero (chance accuracy, metric loss stuck at
    the margin). For the unimodal
    ablations (``modality='audio'`` or ``'video'``) the one branch's ``[B, N, m']``
    is flattened into the same FC layers (no cross-attention, no tanh).

    Args:
        num_classes (int): K.
        in_channels (int): m'. Defaults to ``512``.
        num_snippets (int): N. Defaults to ``6``.
        modality (str): ``'audio-visual'``, ``'audio'`` or ``'video'``.
            Defaults to ``'audio-visual'``.
        embed_channels (int): Embedding width. Defaults to ``512``.
        dropout_ratio (float): Dropout before the classifier. Defaults to ``0.5``.
        loss_cls (dict): Classification loss. Defaults to cross-entropy.
        loss_metric (dict, optional): Metric loss on the embedding
            (``EmotionMetricLoss`` or ``TripletLoss``); None for none.
            Defaults to ``None``.
        init_cfg (dict, optional): Defaults to Xavier for the FC layers.
    """

    def __init__(
        self,
        num_classes: int,
        in_channels: int = 512,
        num_snippets: int = 6,
        modality: str = 'audio-visual',
        embed_channels: int = 512,
        dropout_ratio: float = 0.5,
        loss_cls: dict | None = None,
        loss_metric: dict | None = None,
        init_cfg: dict | None = None,
    ) -> None:
        super().__init__(init_cfg=init_cfg or dict(type='Xavier', layer='Linear'))
        if modality not in MODALITIES:
            raise ValueError(f'modality must be one of {MODALITIES}, got {modality!r}')
        self.num_classes, self.in_channels, self.num_snippets = (
            num_classes,
            in_channels,
            num_snippets,
        )
        self.modality = modality
        self.correlation = nn.Parameter(torch.empty(in_channels, in_channels))  # W
        nn.init.xavier_uniform_(self.correlation)
        branches = 2 if modality == 'audio-visual' else 1
        self.fc_embed = nn.Linear(branches * num_snippets * in_channels, embed_channels)
        self.dropout = nn.Dropout(dropout_ratio)
        self.fc_cls = nn.Linear(embed_channels, num_classes)
        self.loss_cls = MODELS.build(loss_cls or dict(type='CrossEntropyLoss'))
        self.loss_metric = MODELS.build(loss_metric) if loss_metric else None

    def fuse(self, audio: Tensor, video: Tensor) -> dict[str, Tensor]:
        """The cross-modal attention (Eq. 7-8 and the skip connections).

        Args:
            audio (Tensor): ``D^AT`` ``[B, N, m']``.
            video (Tensor): ``D^VT`` ``[B, N, m']``.

        Returns:
            dict[str, Tensor]: ``corr`` ``[B, N, N]``, ``w_audio`` and ``w_video``
            ``[B, N, N]`` (each column sums to one), ``audio`` and ``video``
            ``[B, N, m']`` (``D^Corr-AT``, ``D^Corr-VT``).
        """
        corr = audio @ self.correlation @ video.transpose(1, 2)  # [B, N, N]
        w_audio = torch.softmax(corr, dim=1)  # column-wise: normalise over rows
        w_video = torch.softmax(corr.transpose(1, 2), dim=1)
        return dict(
            corr=corr,
            w_audio=w_audio,
            w_video=w_video,
            audio=torch.tanh(audio + w_audio @ audio),
            video=torch.tanh(video + w_video @ video),
        )

    def forward(self, audio: Tensor | None, video: Tensor | None) -> dict[str, Tensor]:
        """Logits and embedding from the branch features (pure tensors).

        Args:
            audio (Tensor | None): ``[B, N, m']``; None in video-only mode.
            video (Tensor | None): ``[B, N, m']``; None in audio-only mode.

        Returns:
            dict[str, Tensor]: ``logits`` ``[B, K]``, ``embedding`` ``[B, E]`` and,
            in audio-visual mode, the fusion tensors of :meth:`fuse`.
        """
        out: dict[str, Tensor] = {}
        if self.modality == 'audio-visual':
            out = self.fuse(audio, video)
            fused = torch.cat([out['video'], out['audio']], dim=1).flatten(1)  # [B, 2 N m']
        else:
            branch = audio if self.modality == 'audio' else video
            if branch is None:
                raise ValueError(f"modality='{self.modality}' needs the {self.modality} features")
            fused = branch.flatten(1)  # [B, N m']
        if fused.shape[1] != self.fc_embed.in_features:
            raise ValueError(
                f'CrossAttentionFusionHead expects {self.fc_embed.in_features} fused features '
                f'({self.num_snippets} snippets x {self.in_channels}), got {fused.shape[1]}'
            )
        embedding = self.fc_embed(fused)  # [B, E]
        logits = self.fc_cls(self.dropout(F.relu(embedding)))  # [B, K]
        out.update(embedding=embedding, logits=logits)
        return out

    def loss(self, audio: Tensor | None, video: Tensor | None, data_samples: list) -> dict:
        """Cross-entropy on the logits (+ the metric loss on the embedding)."""
        out = self(audio, video)
        labels = torch.cat([s.gt_label for s in data_samples]).to(out['logits'].device)
        losses = dict(loss_cls=self.loss_cls(out['logits'], labels))
        if self.loss_metric is not None:
            losses['loss_metric'] = self.loss_metric(out['embedding'], labels)
        losses['top1_acc'] = (out['logits'].argmax(dim=1) == labels).float().mean().detach()
        return losses

    def predict(self, audio: Tensor | None, video: Tensor | None, data_samples: list) -> list:
        """Fill each data sample's ``pred_score``, ``pred_label`` and ``embedding``."""
        out = self(audio, video)
        scores = torch.softmax(out['logits'], dim=1)
        for sample, score, embedding in zip(data_samples, scores, out['embedding'], strict=True):
            sample.set_pred_score(score)
            sample.set_pred_label(score.argmax(keepdim=True))
            sample.set_field(embedding, 'embedding')
        return data_samples
