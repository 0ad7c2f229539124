"""RAVDESS (Livingstone and Russo, 2018): 24 actors, 8 emotions."""

from __future__ import annotations

from typing import Any

from mmaction.registry import DATASETS

from .av_emotion_dataset import AVEmotionDataset
from .corpora import RAVDESS
from .emotions import emotion_metainfo
from .filenames import RAVDESS_MODALITIES, RAVDESS_VOCAL_CHANNELS


@DATASETS.register_module()
class RavdessDataset(AVEmotionDataset):
    """RAVDESS in its official layout ``Actor_XX/MM-VV-EE-II-SS-RR-AA.mp4``.

    Classes (label = emotion code - 1): neutral, calm, happy, sad, angry, fearful,
    disgust, surprised; ``metainfo['polarities']`` gives each one's polarity.
    Every parsed field is kept in the data info: ``file_modality``, vocal_channel,
    emotion, intensity, statement, repetition, actor. The file's modality field is
    named ``file_modality`` because MMAction2 already uses ``modality`` (``'RGB'``,
    ``'Flow'``...) in every data info and dataset argument.

    Args:
        file_modality (str | tuple[str]): Which files: ``'audio-visual'`` (``01``, the
            default), ``'video-only'`` (``02``, silent), ``'audio-only'`` (``03``).
        vocal_channel (str | tuple[str]): ``'speech'`` (default) or ``'song'``.
        **kwargs: See :class:`AVEmotionDataset` (``data_root``, ``ann_file``,
            ``video_source``, ``fold``, ``num_folds``, ``split``, ``split_file``...).
    """

    corpus = RAVDESS
    METAINFO = emotion_metainfo(RAVDESS.classes)

    def __init__(
        self,
        *args: Any,
        file_modality: str | tuple[str, ...] = 'audio-visual',
        vocal_channel: str | tuple[str, ...] = 'speech',
        **kwargs: Any,
    ) -> None:
        self.file_modalities = _as_choice(
            'file_modality', file_modality, tuple(RAVDESS_MODALITIES.values())
        )
        self.vocal_channels = _as_choice(
            'vocal_channel', vocal_channel, tuple(RAVDESS_VOCAL_CHANNELS.values())
        )
        super().__init__(*args, **kwargs)

    def _select(self, info: dict) -> bool:
        return (
            info['file_modality'] in self.file_modalities
            and info['vocal_channel'] in self.vocal_channels
        )


def _as_choice(name: str, value: str | tuple[str, ...], valid: tuple[str, ...]) -> tuple[str, ...]:
    values = (value,) if isinstance(value, str) else tuple(value)
    bad = [v for v in values if v not in valid]
    if bad or not values:
        raise ValueError(f'RavdessDataset: {name} must be among {valid}, got {value!r}')
    return values
