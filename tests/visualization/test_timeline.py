"""The timeline of window predictions: rows, CSV/JSON files and the plot."""

import csv
import json

import numpy as np
from PIL import Image

from avemo_mm.apis.results import Prediction
from avemo_mm.visualization import plot_timeline, timeline_rows, write_timeline

CLASSES = ('calm', 'happy')


def _windows():
    scores = [(0.9, 0.1), (0.4, 0.6), (0.2, 0.8)]
    return [
        Prediction(CLASSES, np.array(s), np.zeros(4), start=float(i), end=i + 2.0)
        for i, s in enumerate(scores)
    ]


def test_rows_hold_times_label_and_every_score():
    rows = timeline_rows(_windows())
    assert [r['label'] for r in rows] == ['calm', 'happy', 'happy']
    assert rows[1]['start'] == 1.0 and rows[1]['end'] == 3.0 and rows[1]['happy'] == 0.6


def test_the_timeline_is_written_as_csv_json_and_png(tmp_path):
    with open(write_timeline(_windows(), str(tmp_path / 't.csv'))) as fh:
        assert [r['label'] for r in csv.DictReader(fh)] == ['calm', 'happy', 'happy']
    with open(write_timeline(_windows(), str(tmp_path / 't.json'))) as fh:
        assert len(json.load(fh)) == 3
    assert Image.open(plot_timeline(_windows(), str(tmp_path / 't.png'))).size[0] > 100
