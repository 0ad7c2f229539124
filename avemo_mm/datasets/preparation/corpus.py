"""Prepare a whole corpus: parallel, resumable, and every skip reported.

Output layout under ``out_dir``::

    annotations.json        mmengine format: {"metainfo": {...}, "data_list": [...]}
    folds/fold_{f}.json     actor ids under "train", "val", "test"
    report/skipped.csv      file,reason: every file not in the annotation
    report/summary.json     counts
    report/fold_sex_balance.csv  each fold's test and validation actors by sex (RAVDESS;
                            CREMA-D when its VideoDemographics.csv is present)
    faces/<clip>.mp4        face crops (H.264), what training reads
    audio/<clip>.wav        16 kHz mono audio
    records/<clip>.json     one clip's record; written last, so it marks "done"

Every file is written under a ``.partial`` name and renamed when complete: an
interrupted run leaves no half-written file under a final name, and a re-run removes
the ``.partial`` leftovers and prepares only the clips without a record.
"""

from __future__ import annotations

import csv
import glob
import json
import os
import os.path as osp
import signal
import time
from collections import Counter
from multiprocessing import Pool

from ..corpora import get_corpus
from ..emotions import emotion_metainfo
from ..folds import fold_sex_balance, read_cremad_demographics, write_fold_files
from .clip import PrepareSettings, prepare_clip, record_path


def _write_json(path: str, obj) -> None:
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path + '.partial', 'w') as fh:
        json.dump(obj, fh, indent=1)
        fh.write('\n')
    os.replace(path + '.partial', path)


def _remove_partials(out_dir: str) -> int:
    leftovers = glob.glob(osp.join(out_dir, '**', '*.partial'), recursive=True)
    for path in leftovers:
        os.remove(path)
    return len(leftovers)


def _skip_category(reason: str) -> str:
    """A short category of a skip reason, for the summary counts."""
    for key, category in (
        ('bad file name', 'bad_name'),
        ('cannot open', 'unreadable'),
        ('no video stream', 'no_video'),
        ('does not decode', 'undecodable'),
        ('no decodable frame', 'undecodable'),
        ('frames, fewer than', 'too_few_frames'),
        ('s long, over', 'too_long'),
        ('no usable audio', 'no_audio'),
        ('shorter than', 'audio_too_short'),
    ):
        if key in reason:
            return category
    return 'other'


def prepare_corpus(
    settings: PrepareSettings, num_folds: int = 10, workers: int = 2, log=print
) -> dict:
    """Prepare every clip of a corpus, then write the annotation, folds and report.

    Args:
        settings (PrepareSettings): Corpus, paths and per-clip settings.
        num_folds (int): Folds to write. Defaults to ``10``.
        workers (int): Parallel processes. Defaults to ``2``.
        log (Callable[[str], None]): Where progress lines go. Defaults to print.

    Returns:
        dict: The summary (also written to ``report/summary.json``).

    Raises:
        FileNotFoundError: ``data_root`` is missing or holds no video of the corpus.
    """
    spec = get_corpus(settings.corpus)
    videos = spec.find_videos(settings.data_root)
    if not videos:
        raise FileNotFoundError(
            f'no {spec.name} videos matching {spec.video_glob} under {settings.data_root}'
        )
    os.makedirs(settings.out_dir, exist_ok=True)
    removed = _remove_partials(settings.out_dir)
    if removed:
        log(f'removed {removed} half-written file(s) left by an interrupted run')

    def is_done(rel: str) -> bool:
        clip_id = osp.splitext(osp.basename(rel))[0]
        return osp.isfile(record_path(settings.out_dir, clip_id))

    todo = [rel for rel in videos if not is_done(rel)]
    log(
        f'{spec.name}: {len(videos)} videos, {len(videos) - len(todo)} already prepared, '
        f'{len(todo)} to do with {workers} worker(s)'
    )
    skipped: dict[str, str] = {}
    start = time.time()
    step = max(1, len(todo) // 20)
    # workers ignore Ctrl-C: only this process handles it, stops them and says how to go on
    pool = Pool(workers, initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN))
    done = 0
    try:
        for rel, result in pool.imap_unordered(_prepare_one, [(r, settings) for r in todo]):
            done += 1
            if 'skip' in result:
                skipped[rel] = result['skip']
                log(f'  skipped {rel}: {result["skip"]}')
            if done % step == 0 or done == len(todo):
                rate = done / max(time.time() - start, 1e-9)
                log(f'  [{done}/{len(todo)}] {rate:.1f} clips/s, {len(skipped)} skipped')
    except KeyboardInterrupt:
        pool.terminate()
        pool.join()
        log(
            f'interrupted after {done} of {len(todo)} clips; run the same command again to '
            'continue (finished clips are kept, half-written files are removed)'
        )
        raise
    pool.close()
    pool.join()

    records = []
    for rel in videos:
        clip_id = osp.splitext(osp.basename(rel))[0]
        path = record_path(settings.out_dir, clip_id)
        if osp.isfile(path):
            with open(path) as fh:
                records.append(json.load(fh))
    metainfo = dict(emotion_metainfo(spec.classes), corpus=spec.name)
    _write_json(
        osp.join(settings.out_dir, 'annotations.json'), dict(metainfo=metainfo, data_list=records)
    )
    folds = spec.actor_folds(num_folds)
    write_fold_files(folds, osp.join(settings.out_dir, 'folds'))

    report = osp.join(settings.out_dir, 'report', 'skipped.csv')
    os.makedirs(osp.dirname(report), exist_ok=True)
    balance = _write_sex_balance(spec, folds, settings, log)
    with open(report + '.partial', 'w', newline='') as fh:
        writer = csv.writer(fh)
        writer.writerow(['file', 'reason'])
        writer.writerows(sorted(skipped.items()))
    os.replace(report + '.partial', report)
    summary = dict(
        corpus=spec.name,
        videos=len(videos),
        prepared=len(records),
        skipped=len(skipped),
        skipped_by_reason=dict(Counter(_skip_category(r) for r in skipped.values())),
        face_fallback=sum(r['face_fallback'] for r in records),
        # the share of the detector's frames with a face found, averaged over the clips
        face_detect_rate=round(sum(r['face_detect_rate'] for r in records) / len(records), 4)
        if records
        else 0.0,
        without_audio=sum(not r['has_audio'] for r in records),
        num_folds=num_folds,
        face_size=settings.face_size,
        align_eyes=settings.align_eyes,
        second_look=settings.second_look,
        fold_sex_balance=balance,
    )
    _write_json(osp.join(settings.out_dir, 'report', 'summary.json'), summary)
    log(
        f'{spec.name}: {summary["prepared"]} prepared, {summary["skipped"]} skipped '
        f'{summary["skipped_by_reason"]}, {summary["face_fallback"]} without a detected face '
        f'(centre crop), faces found in {summary["face_detect_rate"]:.0%} of the frames '
        f'looked at, {summary["without_audio"]} without audio; '
        f'report in {osp.dirname(report)}'
    )
    return summary


def _write_sex_balance(spec, folds, settings, log) -> list[dict] | None:
    """Each fold's test and validation actors by sex, into ``report/`` (None: unknown).

    RAVDESS's ids tell the sex; CREMA-D's ``VideoDemographics.csv`` (beside the
    videos) is read when present. It only informs: the folds never depend on it.
    """
    sex = spec.actor_sex
    demographics = osp.join(settings.data_root, 'VideoDemographics.csv')
    if sex is None and osp.isfile(demographics):
        sex = read_cremad_demographics(demographics)
    if sex is None:
        return None
    balance = fold_sex_balance(folds, sex)
    path = osp.join(settings.out_dir, 'report', 'fold_sex_balance.csv')
    with open(path + '.partial', 'w', newline='') as fh:
        writer = csv.DictWriter(fh, fieldnames=list(balance[0]))
        writer.writeheader()
        writer.writerows(balance)
    os.replace(path + '.partial', path)
    log(
        'folds by sex (test male/female, validation male/female): '
        + ', '.join(
            f'{b["fold"]}: {b["test_male"]}/{b["test_female"]} {b["val_male"]}/{b["val_female"]}'
            for b in balance
        )
    )
    return balance


def _prepare_one(task: tuple[str, PrepareSettings]) -> tuple[str, dict]:
    rel, settings = task
    return rel, prepare_clip(rel, settings)


__all__ = ['prepare_corpus']
