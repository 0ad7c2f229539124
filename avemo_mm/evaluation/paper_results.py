"""The paper's published accuracies (Tables 1-3), and which one a config reproduces."""

from __future__ import annotations

# Mocanu, Tapu and Zaharia (2023), Tables 1-3: mean accuracy (%) over 10 actor folds
PAPER_ACCURACY = {
    'AT': {'RAVDESS': 76.42, 'CREMA-D': 62.77},
    'VS': {'RAVDESS': 77.54, 'CREMA-D': 76.14},
    'VS+VC': {'RAVDESS': 79.17, 'CREMA-D': 77.12},
    'VS+VC+VT': {'RAVDESS': 82.02, 'CREMA-D': 79.51},
    'AT+VS+VC+VT, triplet loss': {'RAVDESS': 87.85, 'CREMA-D': 81.71},
    'AT+VS+VC+VT, emotion loss': {'RAVDESS': 89.25, 'CREMA-D': 84.57},
}
TABLE_COLUMN = {'ravdess': 'RAVDESS', 'cremad': 'CREMA-D'}  # CorpusSpec.name -> the paper's

# Audio-visual figures published under the other protocols (avemo_mm.datasets.protocols),
# % over that protocol's folds; UAR None where the source gives none. Their authors
# select on the test fold; our runs validate on other actors (docs/method.md).
PUBLISHED_ON_PROTOCOL = {
    ('RAVDESS', 'hicmae'): (
        dict(method='HiCMAE', WAR=87.99, UAR=None, source='Sun et al., Information Fusion 2024'),
        dict(method='MSAF', WAR=74.86, UAR=None, source='Su et al., arXiv:2012.07175, 2020'),
    ),
    ('RAVDESS', 'emobox'): (),  # a speech benchmark (Ma et al., Interspeech 2024): no AV figure
    ('RAVDESS', 'chumachenko'): (
        dict(
            method='Chumachenko et al.',
            WAR=81.58,
            UAR=None,
            source='Chumachenko, Iosifidis and Gabbouj, ICPR 2022',
        ),
    ),
    ('CREMA-D', 'hicmae'): (
        dict(method='HiCMAE', WAR=84.91, UAR=84.94, source='Sun et al., Information Fusion 2024'),
    ),
}


def published_figures(variant: str | None, corpus: str | None, protocol: str = 'paper') -> list:
    """What to put beside a run: ``[{method, WAR, UAR, source}]`` (% values).

    Under ``protocol='paper'``, the paper's own figure for the run's variant (Tables
    1-3); under another protocol, the figures published under it.
    """
    if protocol != 'paper':
        return list(PUBLISHED_ON_PROTOCOL.get((corpus, protocol), ()))
    paper = PAPER_ACCURACY.get(variant, {}).get(corpus) if variant else None
    if paper is None:
        return []
    return [
        dict(
            method=f'Mocanu et al. 2023, {variant}',
            WAR=paper,
            UAR=None,
            source='Image and Vision Computing 133, Tables 1-3',
        )
    ]


def paper_variant(cfg) -> tuple[str | None, str | None]:
    """``(variant, corpus)`` of the paper's tables that a config corresponds to.

    The variant is read from the model (the head's modality and fusion, the visual
    neck's VS / VC / VT switches, the metric loss), the corpus from the test dataset's
    type; the fusion ablations (``fusion='no_cross_term'`` or ``'concat'``) have no row,
    nor has a single-modality model trained with another loss than the plain triplet
    loss (the paper trains every ablation of Tables 1-2 with it, Sec. 4.3).
    Either is None where the config matches no row or column of the paper (an
    MMAction2 backbone is still compared: the tables vary the attention and the loss).
    """
    model = cfg.get('model', {})
    head = model.get('cls_head', {})
    modality = head.get('modality', 'audio-visual')
    loss = (head.get('loss_metric') or {}).get('type')
    variant = None
    if modality == 'audio' and loss == 'TripletLoss':
        variant = 'AT' if model.get('audio_neck') else None
    elif modality == 'video' and loss == 'TripletLoss':
        neck = model.get('video_neck') or {}
        parts = [
            name
            for name, key in (('VS', 'use_spatial'), ('VC', 'use_channel'), ('VT', 'use_temporal'))
            if neck.get(key, True)
        ]
        variant = '+'.join(parts) if '+'.join(parts) in PAPER_ACCURACY else None
    elif modality == 'audio-visual' and head.get('fusion', 'cross_attention') == 'cross_attention':
        variant = {
            'TripletLoss': 'AT+VS+VC+VT, triplet loss',
            'EmotionMetricLoss': 'AT+VS+VC+VT, emotion loss',
        }.get(loss)
    return variant, corpus_of(cfg.get('test_dataloader', {}).get('dataset', {}).get('type'))


def corpus_of(dataset_type: str | None) -> str | None:
    """The paper's column for a dataset type (its class's corpus; a subclass counts)."""
    from mmaction.registry import DATASETS

    from ..datasets.av_emotion_dataset import AVEmotionDataset

    cls = DATASETS.get(dataset_type) if dataset_type else None
    if cls is None or not issubclass(cls, AVEmotionDataset):
        return None
    return TABLE_COLUMN.get(cls.corpus.name)
