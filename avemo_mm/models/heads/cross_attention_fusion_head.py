"""Cross-modal attention fusion and classification (the paper's Sec. 3.3)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from torch import Tensor, nn

from ...modalities import MODALITIES

FUSIONS = ('cross_attention', 'no_cross_term', 'concat')
EQ8_FORMS = ('weighted_average', 'printed')
SNIPPET_POOLS = ('flatten', 'mean')
_DEFAULT_EMBED_NORM = dict(type='BN1dAnyBatch')  # BN1d that also trains at batch 1


@MODELS.register_module()
class CrossAttentionFusionHead(BaseModule):
    """Fuse ``D^AT`` and ``D^VT`` by cross-modal attention, then classify.

    With B clips, N snippets, m' channels, and (``input_norm``) both branches first
    normalised over m' (``LayerNorm``):

    - ``Corr = D^AT W (D^VT)^T / sqrt(m')``, ``[B, N, N]``, W ``[m', m']`` learned
      (Xavier), ``/ sqrt(m')`` with ``scale_corr``;
    - ``W^Audio`` = column-wise softmax of Corr, ``W^Video`` = of Corr^T: column j of
      ``W^Audio`` is a distribution over the audio segments for video snippet j;
    - Eq. 8, ``eq8='weighted_average'``: ``D~^AT = (W^Audio)^T D^AT``, row j the
      average of the audio segments weighted by their correlation with snippet j,
      and ``D~^VT = (W^Video)^T D^VT``; ``eq8='printed'``: the product as printed,
      ``W^Audio D^AT`` and ``W^Video D^VT`` (its rows are not weighted averages);
    - ``D^Corr-AT = D^AT + g_A D~^AT``, ``D^Corr-VT = D^VT + g_V D~^VT``: **Decision**
      (not in the paper), the attended term enters through one learned scalar gate a
      branch (``g_A``, ``g_V``, starting at ``cross_gate``, 0), and the paper's tanh
      around each sum is an option (``skip_tanh``); the paper's letter is
      ``tanh(D^AT + D~^AT)`` (``cross_gate=None, skip_tanh=True``);
    - **Decision**: ``[D^Corr-VT ; D^Corr-AT]`` flattened to ``2 N m'`` (or each
      branch averaged over its N snippets first, ``snippet_pool='mean'``) -> FC ->
      embedding (``embed_channels``) -> BatchNorm -> ReLU -> dropout -> FC -> K logits
      (mmpretrain's ``StackedLinearClsHead`` block).

    ``fusion`` names the ablations of the fusion itself: ``'cross_attention'`` (the
    above), ``'no_cross_term'`` (the same head without the cross-modal term: ``D^AT``,
    ``D^VT``, each through the skip tanh when ``skip_tanh``) and ``'concat'``
    (``[D^VT ; D^AT]`` as they are, whatever ``skip_tanh``). Only
    ``'cross_attention'`` owns W and the gate.

    The embedding is what the metric loss and the t-SNE plots use. It is taken before
    the norm and the ReLU: with the ReLU inside, the metric loss drove every unit
    negative in our runs and the embedding collapsed to zero (chance accuracy, metric
    loss stuck at the margin). The norm keeps every unit positive for part of each
    batch: without it, units that the metric loss pushed negative for every clip no
    longer passed any gradient from the classifier, and a branch that had not yet
    found its cue (the face, learnt from scratch) could lose the whole classifier
    path before it did (measured: ``docs/method.md``).

    For the unimodal ablations (``modality='audio'`` or ``'video'``) the one branch's
    ``[B, N, m']`` is flattened into the same FC layers (no cross-attention, no tanh),
    and only that branch's norm exists.

    Args:
        num_classes (int): K.
        in_channels (int): m'. Defaults to ``512``.
        num_snippets (int): N. Defaults to ``6``.
        modality (str): ``'audio-visual'``, ``'audio'`` or ``'video'``.
            Defaults to ``'audio-visual'``.
        fusion (str): ``'cross_attention'``, ``'no_cross_term'`` or ``'concat'``.
            Defaults to ``'cross_attention'``.
        eq8 (str): ``'weighted_average'`` or ``'printed'``, the two readings of
            Eq. 8 (``docs/method.md``). Defaults to ``'weighted_average'``.
        scale_corr (bool): **Decision** (not in the paper): divide Corr by
            ``sqrt(m')``, as scaled dot-product attention does. Defaults to ``True``.
        input_norm (bool): **Decision** (not in the paper): ``LayerNorm`` over m' of
            each branch before the fusion, so that both enter at one scale and the
            tanh is not saturated by a branch whose features grow. Defaults to
            ``True``.
        cross_gate (float, optional): **Decision** (not in the paper): the attended
            term enters each branch's sum through a learned scalar gate that starts
            at this value. At 0 the head starts as the same head without the
            cross-modal term and opens it as far as the loss asks, as gated
            cross-attention does (Flamingo, Alayrac et al., 2022). ``None`` for the
            paper's ungated sum (``g = 1`` from the first step), which the paper
            configs use: at 224 px a gate at 0 left W without gradient
            (docs/method.md, "Departures from the paper"). Defaults to ``0.0`` (the
            tiny configs' recipe).
        skip_tanh (bool): The paper's tanh around each skip sum
            (``tanh(D^AT + g_A D~^AT)``; also on ``'no_cross_term'``), which the
            paper configs use. **Decision**: off by default (the tiny configs'
            recipe); trained from scratch, the heads with it learnt less
            (docs/method.md). Defaults to ``False``.
        embed_channels (int): Embedding width. Defaults to ``512``.
        embed_norm (dict, optional): Norm between the embedding and the ReLU
            (mmcv's ``build_norm_layer`` config); None for none (the first
            implementation). Defaults to ``dict(type='BN1dAnyBatch')``:
            BatchNorm1d that normalises a training batch of one clip with its
            running statistics (:class:`BatchNorm1dAnyBatch`).
        snippet_pool (str): How each branch's N snippets reach the FC layers:
            ``'flatten'`` (the N x m' features, one weight per snippet position:
            ``2 N m'`` inputs) or ``'mean'`` (their average, ``2 m'`` inputs, as
            MMAction2's heads average their segments). Defaults to ``'flatten'``.
        dropout_ratio (float): Dropout before the classifier. Defaults to ``0.5``.
        loss_cls (dict): Classification loss. Defaults to cross-entropy.
        loss_metric (dict, optional): Metric loss on the embedding
            (``EmotionMetricLoss`` or ``TripletLoss``); None for none.
            Defaults to ``None``.
        init_cfg (dict, optional): Defaults to Xavier for the linear layers (W
            included).
    """

    def __init__(
        self,
        num_classes: int,
        in_channels: int = 512,
        num_snippets: int = 6,
        modality: str = 'audio-visual',
        fusion: str = 'cross_attention',
        eq8: str = 'weighted_average',
        scale_corr: bool = True,
        input_norm: bool = True,
        cross_gate: float | None = 0.0,
        skip_tanh: bool = False,
        embed_channels: int = 512,
        embed_norm: dict | None = _DEFAULT_EMBED_NORM,
        snippet_pool: str = 'flatten',
        dropout_ratio: float = 0.5,
        loss_cls: dict | None = None,
        loss_metric: dict | None = None,
        init_cfg: dict | None = None,
    ) -> None:
        super().__init__(init_cfg=init_cfg or dict(type='Xavier', layer='Linear'))
        for name, value, valid in (
            ('modality', modality, MODALITIES),
            ('fusion', fusion, FUSIONS),
            ('eq8', eq8, EQ8_FORMS),
            ('snippet_pool', snippet_pool, SNIPPET_POOLS),
        ):
            if value not in valid:
                raise ValueError(f'{name} must be one of {valid}, got {value!r}')
        self.num_classes, self.in_channels, self.num_snippets = (
            num_classes,
            in_channels,
            num_snippets,
        )
        self.modality, self.fusion, self.eq8 = modality, fusion, eq8
        self.corr_scale = in_channels**-0.5 if scale_corr else 1.0
        self.skip = nn.Tanh() if skip_tanh else nn.Identity()  # no parameters either way
        uses_audio, uses_video = modality != 'video', modality != 'audio'
        self.norm_audio = nn.LayerNorm(in_channels) if input_norm and uses_audio else None
        self.norm_video = nn.LayerNorm(in_channels) if input_norm and uses_video else None
        # W of Corr = D^AT W (D^VT)^T, as a bias-free linear layer (W V^T = (V W^T)^T)
        # so that init_cfg initialises it; only the cross-modal term has one
        cross = modality == 'audio-visual' and fusion == 'cross_attention'
        self.correlation = nn.Linear(in_channels, in_channels, bias=False) if cross else None
        # [g_A, g_V]: a constant start, which init_cfg (linear layers only) leaves as it is
        gated = cross and cross_gate is not None
        self.cross_gate = nn.Parameter(torch.full((2,), float(cross_gate))) if gated else None
        branches = 2 if modality == 'audio-visual' else 1
        self.snippet_pool = snippet_pool
        pooled_snippets = num_snippets if snippet_pool == 'flatten' else 1
        self.fc_embed = nn.Linear(branches * pooled_snippets * in_channels, embed_channels)
        self.embed_norm = (
            build_norm_layer(embed_norm, embed_channels)[1] if embed_norm else nn.Identity()
        )
        self.dropout = nn.Dropout(dropout_ratio)
        self.fc_cls = nn.Linear(embed_channels, num_classes)
        self.loss_cls = MODELS.build(loss_cls or dict(type='CrossEntropyLoss'))
        self.loss_metric = MODELS.build(loss_metric) if loss_metric else None

    def fuse(self, audio: Tensor, video: Tensor) -> dict[str, Tensor]:
        """The cross-modal attention (Eq. 7-8 and the skip connections).

        Args:
            audio (Tensor): ``D^AT`` ``[B, N, m']``, normalised when ``input_norm``.
            video (Tensor): ``D^VT`` ``[B, N, m']``, normalised when ``input_norm``.

        Returns:
            dict[str, Tensor]: ``corr`` ``[B, N, N]``; ``w_audio`` and ``w_video``
            ``[B, N, N]`` (each column sums to one); ``attended_audio`` and
            ``attended_video`` ``[B, N, m']`` (``D~^AT``, ``D~^VT``); ``gates``
            ``[2]`` (``g_A``, ``g_V``; ones without ``cross_gate``); ``sum_audio``
            and ``sum_video`` ``[B, N, m']`` (``D + g D~``); ``corr_audio`` and
            ``corr_video`` ``[B, N, m']`` (``D^Corr-AT``, ``D^Corr-VT``: the sums
            through the skip tanh, or as they are without ``skip_tanh``).
        """
        corr = audio @ self.correlation(video).transpose(1, 2) * self.corr_scale  # [B, N, N]
        w_audio = torch.softmax(corr, dim=1)  # column-wise: over the audio segments
        w_video = torch.softmax(corr.transpose(1, 2), dim=1)  # over the video snippets
        if self.eq8 == 'weighted_average':
            attended_audio = w_audio.transpose(1, 2) @ audio  # row j: sum_i W[i, j] a_i
            attended_video = w_video.transpose(1, 2) @ video
        else:  # as printed: row i is sum_j W[i, j] a_j, not an average
            attended_audio = w_audio @ audio
            attended_video = w_video @ video
        gates = audio.new_ones(2) if self.cross_gate is None else self.cross_gate
        sum_audio = audio + gates[0] * attended_audio
        sum_video = video + gates[1] * attended_video
        return dict(
            corr=corr,
            w_audio=w_audio,
            w_video=w_video,
            attended_audio=attended_audio,
            attended_video=attended_video,
            gates=gates,
            sum_audio=sum_audio,
            sum_video=sum_video,
            corr_audio=self.skip(sum_audio),
            corr_video=self.skip(sum_video),
        )

    def forward(self, audio: Tensor | None, video: Tensor | None) -> dict[str, Tensor]:
        """Logits and embedding from the branch features (pure tensors).

        Args:
            audio (Tensor | None): ``D^AT`` ``[B, N, m']``; None in video-only mode.
            video (Tensor | None): ``D^VT`` ``[B, N, m']``; None in audio-only mode.

        Returns:
            dict[str, Tensor]: ``logits`` ``[B, K]``, ``embedding`` ``[B, E]`` and,
            with ``fusion='cross_attention'``, the tensors of :meth:`fuse`.
        """
        for name, branch in (('audio', audio), ('video', video)):
            if branch is None and self.modality in ('audio-visual', name):
                raise ValueError(f"modality='{self.modality}' needs the {name} features")
        if self.norm_audio is not None:
            audio = self.norm_audio(audio)
        if self.norm_video is not None:
            video = self.norm_video(video)
        out: dict[str, Tensor] = {}
        if self.modality != 'audio-visual':
            branches = [audio if self.modality == 'audio' else video]
        elif self.fusion == 'cross_attention':
            out = self.fuse(audio, video)
            branches = [out['corr_video'], out['corr_audio']]
        elif self.fusion == 'no_cross_term':
            branches = [self.skip(video), self.skip(audio)]
        else:  # concat
            branches = [video, audio]
        if self.snippet_pool == 'mean':
            branches = [branch.mean(dim=1, keepdim=True) for branch in branches]  # [B, 1, m']
        # [B, 2 N m'] (one branch: N m'; with the mean, N = 1)
        fused = torch.cat(branches, dim=1).flatten(1)
        if fused.shape[1] != self.fc_embed.in_features:
            raise ValueError(
                f'CrossAttentionFusionHead expects {self.fc_embed.in_features} fused features '
                f'({self.num_snippets} snippets x {self.in_channels}), got {fused.shape[1]}'
            )
        embedding = self.fc_embed(fused)  # [B, E]
        logits = self.fc_cls(self.dropout(F.relu(self.embed_norm(embedding))))  # [B, K]
        out.update(embedding=embedding, logits=logits)
        return out

    def loss(
        self, audio: Tensor | None, video: Tensor | None, data_samples: list[ActionDataSample]
    ) -> dict[str, Tensor]:
        """Cross-entropy on the logits, plus the metric loss on the embedding.

        Args:
            audio (Tensor | None): ``D^AT`` ``[B, N, m']``; None in video-only mode.
            video (Tensor | None): ``D^VT`` ``[B, N, m']``; None in audio-only mode.
            data_samples (list[ActionDataSample]): B samples with ``gt_label``.

        Returns:
            dict[str, Tensor]: ``loss_cls``, ``loss_metric`` (when ``loss_metric`` is
            set) and ``top1_acc`` (logged, not optimised), each a scalar.
        """
        out = self(audio, video)
        labels = torch.cat([s.gt_label for s in data_samples]).to(out['logits'].device)
        losses = dict(loss_cls=self.loss_cls(out['logits'], labels))
        if self.loss_metric is not None:
            losses['loss_metric'] = self.loss_metric(out['embedding'], labels)
        losses['top1_acc'] = (out['logits'].argmax(dim=1) == labels).float().mean().detach()
        return losses

    def predict(
        self, audio: Tensor | None, video: Tensor | None, data_samples: list[ActionDataSample]
    ) -> list[ActionDataSample]:
        """Fill each data sample's prediction.

        Args:
            audio (Tensor | None): ``D^AT`` ``[B, N, m']``; None in video-only mode.
            video (Tensor | None): ``D^VT`` ``[B, N, m']``; None in audio-only mode.
            data_samples (list[ActionDataSample]): B samples.

        Returns:
            list[ActionDataSample]: The same samples, with ``pred_score`` ``[K]``
            (softmax), ``pred_label`` ``[1]`` and ``embedding`` ``[E]``.
        """
        out = self(audio, video)
        scores = torch.softmax(out['logits'], dim=1)
        for sample, score, embedding in zip(data_samples, scores, out['embedding'], strict=True):
            sample.set_pred_score(score)
            sample.set_pred_label(score.argmax(keepdim=True))
            sample.set_field(embedding, 'embedding')
        return data_samples
