"""A video's emotion timeline: the sliding-window predictions as CSV, JSON and a plot."""

from __future__ import annotations

import csv
import json
import os
import os.path as osp
from collections.abc import Sequence

import numpy as np

from .figures import new_figure, save_figure


def timeline_rows(predictions: Sequence) -> list[dict]:
    """One dict per window: ``start``, ``end`` (s), ``label`` and each class's score."""
    rows = []
    for p in predictions:
        row = dict(start=round(p.start, 3), end=round(p.end, 3), label=p.label)
        row.update({name: round(float(s), 5) for name, s in zip(p.classes, p.scores, strict=True)})
        rows.append(row)
    return rows


def write_timeline(predictions: Sequence, path: str) -> str:
    """Write the windows as ``.csv`` (a row per window) or ``.json`` (a list of rows)."""
    rows = timeline_rows(predictions)
    if not rows:
        raise ValueError('no windows to write')
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    partial = path + '.partial'
    with open(partial, 'w', newline='') as fh:
        if path.endswith('.json'):
            json.dump(rows, fh, indent=1)
        elif path.endswith('.csv'):
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        else:
            raise ValueError(f'{path}: a timeline is written as .csv or .json')
    os.replace(partial, path)
    return path


def plot_timeline(predictions: Sequence, out_path: str, title: str = '') -> str:
    """Each class's probability over time (at window centres) and the top class."""
    if not predictions:
        raise ValueError('no windows to plot')
    centres = np.array([(p.start + p.end) / 2 for p in predictions])
    scores = np.stack([p.scores for p in predictions])  # [windows, K]
    classes = predictions[0].classes
    figure = new_figure(9, 4)
    axes = figure.add_subplot()
    for index, name in enumerate(classes):
        axes.plot(centres, scores[:, index], marker='o', markersize=3, label=name)
    axes.set_xlabel('time (s, window centre)')
    axes.set_ylabel('probability')
    axes.set_ylim(0, 1)
    axes.legend(fontsize=7, ncol=2, loc='upper right')
    axes.set_title(title or f'Emotion timeline, {len(predictions)} windows')
    return save_figure(figure, out_path)
