"""Cross-validation reports: per-fold and mean +- std WAR/UAR, summed confusion, the paper.

Each finished fold leaves ``fold_K/test_metrics.json`` (see
``tools/cross_validate.py``); :func:`aggregate_folds` combines whatever folds exist
and lists the ones missing, so a report can be made while folds still run elsewhere.
"""

from __future__ import annotations

import json
import os.path as osp
from collections.abc import Sequence

import numpy as np

from .metrics import scores_from_confusion
from .paper_results import PAPER_ACCURACY, published_figures

FOLD_METRICS = 'test_metrics.json'


def fold_metrics_path(work_dir: str, fold: int) -> str:
    return osp.join(work_dir, f'fold_{fold}', FOLD_METRICS)


def aggregate_folds(
    work_dir: str,
    num_folds: int,
    classes: list[str],
    variant: str | None = None,
    corpus: str | None = None,
    protocol: str = 'paper',
) -> dict:
    """Combine the fold results found under ``work_dir``.

    Mean and standard deviation are over the folds (sample std, ``ddof=1``; 0 for a
    single fold), as the paper reports its 10-fold figures. Per-class accuracy is
    taken from the confusion matrix summed over the folds (every test clip counts
    once).

    Returns:
        dict: ``folds`` (per fold: WAR, UAR, clips, checkpoint, confusion_matrix),
        ``missing`` (fold indices without results), ``mean``/``std`` of WAR and UAR
        (fractions), ``confusion_matrix`` (summed), ``class_acc``, ``paper`` (the
        published accuracy in %, or None), ``published`` (what was published under
        ``protocol``: :func:`published_figures`) and ``variant``/``corpus``/``protocol``.
    """
    folds, missing = [], []
    matrix = np.zeros((len(classes), len(classes)), dtype=np.int64)
    for fold in range(num_folds):
        path = fold_metrics_path(work_dir, fold)
        if not osp.isfile(path):
            missing.append(fold)
            continue
        with open(path) as fh:
            result = json.load(fh)
        fold_matrix = np.asarray(result['confusion_matrix'], dtype=np.int64)
        if fold_matrix.shape != matrix.shape:
            raise ValueError(
                f'{path}: a {fold_matrix.shape} confusion matrix, but the config has '
                f'{len(classes)} classes'
            )
        matrix += fold_matrix
        folds.append(
            dict(
                fold=fold,
                WAR=result['WAR'],
                UAR=result['UAR'],
                clips=int(fold_matrix.sum()),
                checkpoint=result.get('checkpoint'),
                confusion_matrix=fold_matrix.tolist(),
            )
        )
    report = dict(
        num_folds=num_folds,
        folds=folds,
        missing=missing,
        variant=variant,
        corpus=corpus,
        protocol=protocol,
    )
    for key in ('WAR', 'UAR'):
        values = np.array([f[key] for f in folds], dtype=np.float64)
        report.setdefault('mean', {})[key] = float(values.mean()) if len(values) else None
        report.setdefault('std', {})[key] = (
            float(values.std(ddof=1)) if len(values) > 1 else (0.0 if len(values) else None)
        )
    summed = scores_from_confusion(matrix, classes) if folds else {}
    report['class_acc'] = {c: summed.get(f'class_acc/{c}') for c in classes}
    report['pooled'] = {k: summed.get(k) for k in ('WAR', 'UAR')}
    report['confusion_matrix'] = matrix.tolist()
    report['classes'] = list(classes)
    report['paper'] = (
        PAPER_ACCURACY.get(variant, {}).get(corpus) if variant and protocol == 'paper' else None
    )
    report['published'] = published_figures(variant, corpus, protocol)
    return report


def _pct(value: float | None) -> str:
    return 'n/a' if value is None or value != value else f'{100 * value:.2f}'


def _published_lines(report: dict, done: int) -> list[str]:
    """The figures published under a report's protocol, with ours, as Markdown lines."""
    corpus, protocol = report['corpus'], report['protocol']
    lines = [f'Protocol `{protocol}` ({report["num_folds"]} folds).', '']
    if report['published']:
        lines += [f'| | {corpus} WAR (%) | UAR (%) | source |', '|---|---|---|---|']
        for row in report['published']:
            uar = 'n/a' if row['UAR'] is None else f'{row["UAR"]:.2f}'
            lines.append(f'| {row["method"]} | {row["WAR"]:.2f} | {uar} | {row["source"]} |')
        mean = report['mean']
        lines.append(f'| this run, {done} fold(s) | {_pct(mean["WAR"])} | {_pct(mean["UAR"])} | |')
    else:
        lines.append(f'No audio-visual figure is published under this protocol for {corpus}.')
    lines += [
        '',
        "Validation here uses actors taken out of training (the next fold's test actors, "
        "or the protocol's own), never the test actors: these numbers are not "
        'test-selected, and the published ones may be (docs/method.md, Protocols).',
    ]
    return lines


def format_report(report: dict, title: str) -> str:
    """The report as Markdown: folds, mean +- std, the paper's figure, classes, confusion."""
    lines = [f'# Cross-validation: {title}', '']
    done = len(report['folds'])
    lines.append(f'{done} of {report["num_folds"]} folds finished.')
    if report['missing']:
        lines.append(f'Missing folds (no results yet): {", ".join(map(str, report["missing"]))}.')
    lines += [
        '',
        '| fold | test clips | WAR (%) | UAR (%) | checkpoint |',
        '|---|---|---|---|---|',
    ]
    for f in report['folds']:
        lines.append(
            f'| {f["fold"]} | {f["clips"]} | {_pct(f["WAR"])} | {_pct(f["UAR"])} | '
            f'{osp.basename(f["checkpoint"] or "")} |'
        )
    mean, std = report['mean'], report['std']
    if done:
        lines.append(
            f'| **mean +- std** | {sum(f["clips"] for f in report["folds"])} | '
            f'**{_pct(mean["WAR"])} +- {_pct(std["WAR"])}** | '
            f'**{_pct(mean["UAR"])} +- {_pct(std["UAR"])}** | |'
        )
    lines += ['', '## Beside the paper', '']
    variant, corpus = report['variant'], report['corpus']
    protocol = report.get('protocol', 'paper')
    if protocol != 'paper':
        lines += _published_lines(report, done)
    elif report['paper'] is not None:
        ours = _pct(mean['WAR']) if done else 'n/a'
        lines += [
            f'| | {corpus} accuracy (%) |',
            '|---|---|',
            f'| paper, {variant} (10 folds) | {report["paper"]:.2f} |',
            f'| this run, {done} fold(s) | {ours} |',
            '',
            'The paper trains on the real corpus with pretrained backbones; compare only '
            'runs of the full config on the real data over all 10 folds.',
        ]
    else:
        lines.append(f'No published figure for this setting (variant {variant}, corpus {corpus}).')
    lines += ['', '## Per-class accuracy (summed over folds)', '', '| class | accuracy (%) |']
    lines.append('|---|---|')
    for name, value in report['class_acc'].items():
        lines.append(f'| {name} | {_pct(value)} |')
    classes = report['classes']
    lines += ['', '## Confusion matrix (summed; rows true, columns predicted)', '']
    lines.append('| | ' + ' | '.join(classes) + ' |')
    lines.append('|---' * (len(classes) + 1) + '|')
    for name, row in zip(classes, report['confusion_matrix'], strict=True):
        lines.append(f'| {name} | ' + ' | '.join(str(v) for v in row) + ' |')
    return '\n'.join(lines) + '\n'


def compare_reports(
    reports: dict[str, dict | list[dict]], groups: dict[str, Sequence[int]] | None = None
) -> str:
    """Runs side by side, as Markdown: the test WAR of every fold, mean +- std, mean UAR,
    and each run's paired difference from the first.

    A name may hold several repeats of one setting (other seeds, say), each a report.
    Only the folds that every report finished are compared (an ablation must be
    measured on the same test actors). A fold's cell lists its repeats (``a / b``);
    mean and std are over every fold and repeat. The last column pairs the first run
    with this one by fold and repeat (repeat k of each, as far as both have one): the
    mean of the first run's WAR minus this run's, +- its standard error (the std of
    the paired differences over sqrt of their number), the figure that says whether
    two heads differ by more than one training moves by chance.

    ``groups`` adds a column per grouping of the classes: the accuracy over the groups
    (a prediction counts when it falls in the true class's group), pooled over the
    compared folds and repeats. Where a modality can only tell groups of classes apart
    (the synthetic corpora), this says how well it learnt what it can tell, which WAR
    blurs with coin flips inside a group.

    Args:
        reports (dict[str, dict | list[dict]]): Run name -> an :func:`aggregate_folds`
            report, or a list of them (the repeats).
        groups (dict[str, Sequence[int]], optional): Column name -> the group of each
            class, in the reports' class order.

    Returns:
        str: The table.
    """
    runs = {name: r if isinstance(r, list) else [r] for name, r in reports.items()}
    by_run = {
        name: [{f['fold']: f for f in r['folds']} for r in repeats]
        for name, repeats in runs.items()
    }
    finished = [set(folds) for repeats in by_run.values() for folds in repeats]
    common = sorted(set.intersection(*finished)) if finished else []
    if not common:
        raise ValueError(f'the runs {list(reports)} have no finished fold in common')
    fold_cols = ' | '.join(f'fold {k}' for k in common)
    groups = groups or {}
    group_cols = ''.join(f' {name} (%) |' for name in groups)
    lines = [
        f'| run | {fold_cols} | WAR mean +- std (%) | runs | UAR mean (%) | first run minus '
        f'this, mean +- s.e. (points) |{group_cols}',
        '|---' * (len(common) + 5 + len(groups)) + '|',
    ]
    first = None
    for name, repeats in by_run.items():
        war = np.array([[folds[k]['WAR'] for k in common] for folds in repeats])  # [R, F]
        uar = np.array([[folds[k]['UAR'] for k in common] for folds in repeats])
        first = war if first is None else first
        paired = min(len(first), len(war))
        diffs = (first[:paired] - war[:paired]).ravel()
        error = diffs.std(ddof=1) / np.sqrt(diffs.size) if diffs.size > 1 else 0.0
        std = war.std(ddof=1) if war.size > 1 else 0.0
        cells = ' | '.join(' / '.join(_pct(v) for v in war[:, i]) for i in range(len(common)))
        lines.append(
            f'| {name} | {cells} | {_pct(war.mean())} +- {_pct(std)} | {len(repeats)} | '
            f'{_pct(uar.mean())} | {100 * diffs.mean():+.2f} +- {100 * error:.2f} |'
            + ''.join(
                f' {_pct(_group_accuracy(name, repeats, common, group))} |'
                for group in groups.values()
            )
        )
    return '\n'.join(lines) + '\n'


def _group_accuracy(
    name: str, repeats: list[dict], folds: list[int], group: Sequence[int]
) -> float:
    """The share of test clips predicted within their class's group, pooled over the
    given folds of every repeat (``repeats``: fold -> fold entry of a report)."""
    group = np.asarray(group)
    within = total = 0
    for by_fold in repeats:
        for fold in folds:
            if 'confusion_matrix' not in by_fold[fold]:
                raise ValueError(
                    f'run {name!r}, fold {fold}: the report has no per-fold confusion matrix '
                    '(an earlier version wrote it); rewrite it with tools/cross_validate.py '
                    '--report-only'
                )
            matrix = np.asarray(by_fold[fold]['confusion_matrix'])  # [K, K], rows true
            if matrix.shape[0] != len(group):
                raise ValueError(
                    f'run {name!r}: {matrix.shape[0]} classes, but the grouping names {len(group)}'
                )
            within += matrix[group[:, None] == group[None, :]].sum()
            total += matrix.sum()
    return float(within / total)
