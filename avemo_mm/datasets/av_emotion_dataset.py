"""The shared base of the audio-visual emotion datasets: sources, folds, bad files."""

from __future__ import annotations

import logging
import os.path as osp
from collections.abc import Callable
from typing import Any

import av
import decord
from decord._ffi.base import DECORDError
from mmaction.datasets import BaseActionDataset
from mmengine.fileio import load
from mmengine.logging import print_log

from ..utils.media import MediaError
from .corpora import CorpusSpec
from .folds import SPLITS, check_disjoint, load_split_file
from .protocols import DEFAULT_PROTOCOL, protocol_num_folds, protocol_split, read_hicmae_split

# what a broken media file raises while the pipeline decodes it
MEDIA_ERRORS = (MediaError, DECORDError, av.FFmpegError, OSError)
_DECORD_DIR = osp.dirname(decord.__file__)


def is_media_error(err: BaseException) -> bool:
    """Whether ``err`` means "this file does not decode", not a bug in the code.

    decord reports an unreadable file as a plain ``RuntimeError`` ("Error reading
    ..."): such an error counts only when it was raised inside decord itself.
    """
    if isinstance(err, MEDIA_ERRORS):
        return True
    if isinstance(err, RuntimeError):
        tb = err.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        return tb is not None and tb.tb_frame.f_code.co_filename.startswith(_DECORD_DIR)
    return False


VIDEO_SOURCES = ('faces', 'original')


class AVEmotionDataset(BaseActionDataset):
    """Base of :class:`RavdessDataset` and :class:`CremaDDataset`.

    Two ways to read a corpus:

    - ``ann_file`` = the ``annotations.json`` written by
      ``tools/data/prepare_dataset.py``: clips that failed probing are already
      reported and left out, and ``video_source='faces'`` (default) reads the
      face-crop cache beside it, ``'original'`` the corpus files under
      ``data_root``.
    - no ``ann_file``: the corpus is scanned under ``data_root`` (official layout);
      unparseable names are logged and counted; only ``video_source='original'``.

    Each data info holds ``filename`` (the video to decode), ``audio_path`` (the
    audio to decode, or None), ``label``, ``actor``, ``clip_id`` and every field
    parsed from the file name, plus what probing measured (``num_frames``, ``fps``,
    ...) when read from an annotation file.

    Args:
        pipeline (list[dict | Callable]): Transforms.
        data_root (str): The corpus as downloaded. Defaults to ``''``.
        ann_file (str): ``annotations.json`` of the preparation tool, or ``''`` to
            scan ``data_root``. Defaults to ``''``.
        video_source (str): ``'faces'`` (the cache) or ``'original'``.
            Defaults to ``'faces'``.
        fold (int): Fold index in ``[0, num_folds)``. Defaults to ``0``.
        num_folds (int): Number of actor folds of ``protocol='paper'``; a published
            protocol has its own count. Defaults to ``10``.
        split (str): ``'train'``, ``'val'``, ``'test'`` or ``'all'``.
            Defaults to ``'train'``.
        protocol (str): ``'paper'`` (the paper's folds, dealt from the official ids)
            or a published protocol shipped with the package (``'hicmae'``,
            ``'emobox'``, ``'chumachenko'`` for RAVDESS; ``'hicmae'`` for CREMA-D;
            :mod:`avemo_mm.datasets.protocols`). Defaults to ``'paper'``.
        split_file (str, optional): Used instead of the folds, e.g. another paper's
            subject-independent split: a JSON split file (``{"train": [actor
            ids], "val": [...], "test": [...]}``), or a HiCMAE split folder
            (``splitNN/`` with ``train.csv`` and ``test.csv``). Defaults to ``None``.
        test_mode (bool): Test-time behaviour (a sample that fails to decode is an
            error, not replaced). Defaults to ``False``.
        max_refetch (int): Training only: how many other samples may be drawn in a
            row to replace ones that fail to decode. Defaults to ``100``.
    """

    corpus: CorpusSpec  # set by each subclass

    def __init__(
        self,
        pipeline: list[dict | Callable],
        data_root: str = '',
        ann_file: str = '',
        video_source: str = 'faces',
        fold: int = 0,
        num_folds: int = 10,
        split: str = 'train',
        split_file: str | None = None,
        protocol: str = DEFAULT_PROTOCOL,
        test_mode: bool = False,
        max_refetch: int = 100,
        **kwargs: Any,
    ) -> None:
        name = type(self).__name__
        if video_source not in VIDEO_SOURCES:
            raise ValueError(
                f'{name}: video_source must be one of {VIDEO_SOURCES}, got {video_source!r}'
            )
        if split not in SPLITS + ('all',):
            raise ValueError(f'{name}: split must be one of {SPLITS + ("all",)}, got {split!r}')
        if protocol != DEFAULT_PROTOCOL:
            if split_file is not None:
                raise ValueError(f'{name}: give protocol={protocol!r} or split_file, not both')
            try:  # a published protocol brings its own number of folds
                num_folds = protocol_num_folds(self.corpus.name, protocol)
            except ValueError as err:
                raise ValueError(f'{name}: {err}') from None
        if split_file is None and not 0 <= fold < num_folds:
            raise ValueError(
                f'{name}: fold {fold} is out of range for num_folds={num_folds} '
                f'(protocol {protocol!r}; valid: 0..{num_folds - 1})'
            )
        if not ann_file and video_source == 'faces':
            raise ValueError(
                f"{name}: video_source='faces' reads the face cache, which needs the "
                'ann_file written by tools/data/prepare_dataset.py; set ann_file, or '
                "video_source='original' to read the corpus under data_root directly"
            )
        if ann_file:
            # relative: to the working directory, else to data_root (mmengine's way)
            candidates = (
                [ann_file] if osp.isabs(ann_file) else [ann_file, osp.join(data_root, ann_file)]
            )
            found = [c for c in candidates if osp.isfile(c)]
            if not found:
                raise FileNotFoundError(
                    f'{name}: ann_file {" or ".join(candidates)} does not exist'
                )
            ann_file = osp.abspath(found[0])
        if not ann_file and not osp.isdir(data_root):
            raise FileNotFoundError(f'{name}: data_root {data_root!r} is not a directory')
        self.video_source = video_source
        self.fold, self.num_folds, self.split, self.split_file = fold, num_folds, split, split_file
        self.protocol = protocol
        self.num_failed_samples = 0
        super().__init__(
            ann_file,
            pipeline=pipeline,
            data_root=data_root,
            data_prefix=dict(video=''),
            test_mode=test_mode,
            max_refetch=max_refetch,
            **kwargs,
        )

    # ----------------------------------------------------------------- loading
    def load_data_list(self) -> list[dict]:
        """Read the clips, apply the subclass's selection and the split."""
        counts = dict(bad_name=0, missing_file=0, not_selected=0)
        infos = self._from_annotation(counts) if self.ann_file else self._from_scan(counts)
        selected = [info for info in infos if self._select(info)]
        counts['not_selected'] = len(infos) - len(selected)
        actors = self._split_actors()
        data_list = [info for info in selected if actors is None or info['actor'] in actors]
        name = type(self).__name__
        where = f'split {self.split!r} of ' + (
            f'split file {self.split_file}'
            if self.split_file
            else f'fold {self.fold} of protocol {self.protocol!r}'
        )
        if not data_list:
            present = sorted({info['actor'] for info in selected})
            raise ValueError(
                f'{name}: {where} has no samples: it wants actors {sorted(actors or [])}, the '
                f'selected clips come from actors {present} ({len(selected)} clips)'
            )
        print_log(
            f'{name}: {len(data_list)} clips in {where} (num_folds={self.num_folds}); left out: '
            f'{counts["bad_name"]} unparseable names, {counts["missing_file"]} missing files, '
            f'{counts["not_selected"]} not selected',
            logger='current',
            level=logging.WARNING
            if counts['bad_name'] or counts['missing_file']
            else logging.INFO,
        )
        return data_list

    def _from_annotation(self, counts: dict) -> list[dict]:
        annotation = load(self.ann_file)
        classes = list(annotation.get('metainfo', {}).get('classes', []))
        if classes != list(self.corpus.classes):
            raise ValueError(
                f"{self.ann_file}: classes {classes} differ from {type(self).__name__}'s "
                f'{list(self.corpus.classes)}; was it written for another corpus?'
            )
        cache_root = osp.dirname(osp.abspath(self.ann_file))
        infos = []
        for record in annotation['data_list']:
            info = dict(record)
            if self.video_source == 'faces':
                info['filename'] = osp.join(cache_root, record['face_video'])
                audio = record.get('face_audio')
                info['audio_path'] = osp.join(cache_root, audio) if audio else None
            else:
                info['filename'] = osp.join(self.data_root, record['video'])
                audio = record.get('audio')
                info['audio_path'] = osp.join(self.data_root, audio) if audio else None
            gone = [p for p in (info['filename'], info['audio_path']) if p and not osp.isfile(p)]
            if gone:
                counts['missing_file'] += 1
                print_log(
                    f'{type(self).__name__}: {self.ann_file} lists {gone[0]}, which '
                    'does not exist; clip left out',
                    logger='current',
                    level=logging.WARNING,
                )
                continue
            infos.append(info)
        return infos

    def _from_scan(self, counts: dict) -> list[dict]:
        infos = []
        for rel in self.corpus.find_videos(self.data_root):
            try:
                fields = self.corpus.parse(rel)
            except ValueError as err:
                counts['bad_name'] += 1
                print_log(
                    f'{type(self).__name__}: {err}; file left out',
                    logger='current',
                    level=logging.WARNING,
                )
                continue
            audio = self.corpus.audio_source(self.data_root, rel, fields)
            infos.append(
                dict(
                    fields,
                    video=rel,
                    filename=osp.join(self.data_root, rel),
                    audio_path=osp.join(self.data_root, audio) if audio else None,
                )
            )
        return infos

    def _select(self, info: dict) -> bool:
        """Subclass hook: whether a clip belongs to the configured subset."""
        return True

    def _split_actors(self) -> set[int] | None:
        if self.split_file is not None and osp.isdir(self.split_file):
            split = read_hicmae_split(self.split_file)
        elif self.split_file is not None:
            split = load_split_file(self.split_file)
        elif self.protocol != DEFAULT_PROTOCOL:
            split = protocol_split(self.corpus.name, self.protocol, self.fold)
        else:
            split = self.corpus.actor_folds(self.num_folds)[self.fold]
        check_disjoint(split, source=self.split_file or f'fold {self.fold}')
        if self.split == 'all':
            return None
        return set(split[self.split])

    # ----------------------------------------------------------------- reading
    def prepare_data(self, idx: int) -> Any:
        """Run the pipeline; in training, a sample whose media fails to decode is
        replaced by another (mmengine's refetch) with a warning naming the file."""
        try:
            return super().prepare_data(idx)
        except Exception as err:
            if not is_media_error(err):
                raise
            filename = self.get_data_info(idx)['filename']
            if self.test_mode:
                raise MediaError(f'{filename}: failed to decode at test time: {err}') from err
            self.num_failed_samples += 1
            print_log(
                f'{type(self).__name__}: {filename} failed to decode ({type(err).__name__}: '
                f'{err}); another sample is drawn instead. Failed so far in this process: '
                f'{self.num_failed_samples}',
                logger='current',
                level=logging.WARNING,
            )
            return None  # mmengine's BaseDataset.__getitem__ refetches on None
