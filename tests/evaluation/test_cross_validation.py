"""Cross-validation reports from fold results, and the paper's row for each config."""

import json
import os
import os.path as osp

import pytest
from conftest import REPO_ROOT
from mmengine.config import Config

from avemo_mm.evaluation import aggregate_folds, format_report, paper_variant
from avemo_mm.evaluation.cross_validation import fold_metrics_path


def write_fold(work_dir, fold, matrix, classes):
    from avemo_mm.evaluation import scores_from_confusion

    path = fold_metrics_path(str(work_dir), fold)
    os.makedirs(osp.dirname(path))
    metrics = dict(scores_from_confusion(matrix, classes), confusion_matrix=matrix)
    with open(path, 'w') as fh:
        json.dump(dict(metrics, fold=fold, checkpoint=f'fold_{fold}/best.pth'), fh)


def test_report_combines_the_finished_folds_and_names_the_missing(tmp_path):
    classes = ['happy', 'sad']
    write_fold(tmp_path, 0, [[2, 0], [1, 1]], classes)  # WAR 0.75, UAR 0.75
    write_fold(tmp_path, 2, [[1, 1], [0, 2]], classes)  # WAR 0.75, UAR 0.75
    write_fold(tmp_path, 3, [[2, 0], [0, 2]], classes)  # WAR 1.0
    report = aggregate_folds(str(tmp_path), 4, classes, 'AT', 'RAVDESS')
    assert report['missing'] == [1]
    assert [f['fold'] for f in report['folds']] == [0, 2, 3]
    assert report['mean']['WAR'] == pytest.approx((0.75 + 0.75 + 1.0) / 3)
    assert report['std']['WAR'] == pytest.approx(0.1443375673, abs=1e-8)  # ddof=1
    assert report['confusion_matrix'] == [[5, 1], [1, 5]]
    assert report['class_acc']['happy'] == pytest.approx(5 / 6)
    assert report['paper'] == 76.42
    text = format_report(report, 'cfg.py')
    assert '3 of 4 folds finished' in text and 'Missing folds (no results yet): 1' in text
    assert '| paper, AT (10 folds) | 76.42 |' in text and '83.33 +- 14.43' in text


def test_report_rejects_a_fold_with_other_classes(tmp_path):
    write_fold(tmp_path, 0, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], ['a', 'b', 'c'])
    with pytest.raises(ValueError, match='2 classes'):
        aggregate_folds(str(tmp_path), 2, ['a', 'b'])


@pytest.mark.parametrize(
    'config, expected',
    [
        ('avemo_ravdess.py', ('AT+VS+VC+VT, emotion loss', 'RAVDESS')),
        ('avemo_cremad.py', ('AT+VS+VC+VT, emotion loss', 'CREMA-D')),
        (
            'avemo/avemo_r3d101-r18_1xb16-6x16x1-es20_cremad-av-triplet.py',
            ('AT+VS+VC+VT, triplet loss', 'CREMA-D'),
        ),
        ('avemo/avemo-at_r18_1xb16-6x1s-es20_ravdess-audio.py', ('AT', 'RAVDESS')),
        ('avemo/avemo-vs_r3d101_1xb16-6x16x1-es20_ravdess-rgb.py', ('VS', 'RAVDESS')),
        ('avemo/avemo-vs-vc_r3d101_1xb16-6x16x1-es20_cremad-rgb.py', ('VS+VC', 'CREMA-D')),
        ('avemo/avemo-vs-vc-vt_r3d101_1xb16-6x16x1-es20_ravdess-rgb.py', ('VS+VC+VT', 'RAVDESS')),
    ],
)
def test_each_paper_config_finds_its_row_and_column(config, expected):
    cfg = Config.fromfile(osp.join(REPO_ROOT, 'configs', config))
    assert paper_variant(cfg) == expected


@pytest.mark.parametrize(
    'config',
    [
        'avemo/avemo-at_r18_1xb16-6x1s-es20_cremad-audio.py',
        'avemo/avemo-vs-vc-vt_r3d101_1xb16-6x16x1-es20_ravdess-rgb.py',
    ],
)
def test_an_ablation_with_the_emotion_loss_has_no_paper_row(config):
    # the paper trains every ablation of Tables 1-2 with the plain triplet loss
    cfg = Config.fromfile(osp.join(REPO_ROOT, 'configs', config))
    cfg.merge_from_dict({'model.cls_head.loss_metric.type': 'EmotionMetricLoss'})
    assert paper_variant(cfg)[0] is None


@pytest.mark.parametrize('fusion', ['no_cross_term', 'concat'])
def test_fusion_ablations_have_no_paper_row(fusion):
    cfg = Config.fromfile(osp.join(REPO_ROOT, 'configs', 'avemo_ravdess.py'))
    cfg.merge_from_dict({'model.cls_head.fusion': fusion})
    assert paper_variant(cfg) == (None, 'RAVDESS')


def test_runs_compare_on_the_folds_they_share(tmp_path):
    from avemo_mm.evaluation import compare_reports

    classes = ['a', 'b']
    right, wrong = [[1, 0], [0, 1]], [[0, 1], [1, 0]]  # WAR 1.0 and 0.0
    for fold, matrix in enumerate([right, right, right]):
        write_fold(tmp_path / 'av', fold, matrix, classes)
    for fold, matrix in enumerate([right, wrong]):  # fold 2 not finished
        write_fold(tmp_path / 'audio', fold, matrix, classes)
    reports = {name: aggregate_folds(str(tmp_path / name), 3, classes) for name in ('av', 'audio')}
    table = compare_reports(reports)
    assert '| run | fold 0 | fold 1 | WAR' in table  # fold 2 is not in both
    header, rule = table.splitlines()[:2]
    assert rule.count('|') == header.count('|')  # one rule cell per column
    assert '| av | 100.00 | 100.00 | 100.00 +- 0.00 | 1 | 100.00 | +0.00 +- 0.00 |' in table
    # paired by fold: av minus audio is 0 and 100 points, mean 50, s.e. 70.71 / sqrt(2)
    assert '| audio | 100.00 | 0.00 | 50.00 +- 70.71 | 1 | 50.00 | +50.00 +- 50.00 |' in table
    with pytest.raises(ValueError, match='no finished fold in common'):
        compare_reports({'av': reports['av'], 'none': aggregate_folds(str(tmp_path), 3, classes)})


def test_repeats_are_paired_with_the_first_runs_repeats(tmp_path):
    from avemo_mm.evaluation import compare_reports

    classes = ['a', 'b']
    right, wrong = [[1, 0], [0, 1]], [[0, 1], [1, 0]]
    runs = dict(
        x=[[right, right], [right, wrong]],  # two repeats (seeds), folds 0 and 1
        y=[[wrong, right], [wrong, wrong]],
        z=[[right, right]],  # one repeat: paired with x's first only
    )
    reports = {}
    for name, repeats in runs.items():
        for k, matrices in enumerate(repeats):
            for fold, matrix in enumerate(matrices):
                write_fold(tmp_path / f'{name}{k}', fold, matrix, classes)
        reports[name] = [
            aggregate_folds(str(tmp_path / f'{name}{k}'), 2, classes) for k in range(len(repeats))
        ]
    table = compare_reports(reports)
    assert '| x | 100.00 / 100.00 | 100.00 / 0.00 | 75.00 +- 50.00 | 2 | 75.00 |' in table
    # x minus y by fold and repeat: 100, 0, 100, 0 -> mean 50, s.e. 57.74 / sqrt(4)
    y_row = '| y | 0.00 / 0.00 | 100.00 / 0.00 | 25.00 +- 50.00 | 2 | 25.00 | +50.00 +- 28.87 |'
    assert y_row in table
    assert '| z | 100.00 | 100.00 | 100.00 +- 0.00 | 1 | 100.00 | +0.00 +- 0.00 |' in table


def test_group_accuracy_counts_predictions_within_the_true_group(tmp_path):
    from avemo_mm.evaluation import compare_reports

    classes = ['a', 'b', 'c', 'd']  # groups {a, b} and {c, d}
    # fold 0: 4 clips right, 2 swapped within their group, 2 into the other group
    fold0 = [[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1], [1, 0, 0, 1]]
    fold1 = [[2, 0, 0, 0], [2, 0, 0, 0], [0, 0, 0, 2], [0, 0, 0, 2]]  # all within
    for fold, matrix in enumerate([fold0, fold1]):
        write_fold(tmp_path / 'x', fold, matrix, classes)
    write_fold(tmp_path / 'y', 0, fold1, classes)  # y has fold 0 only
    reports = {name: aggregate_folds(str(tmp_path / name), 2, classes) for name in 'xy'}
    assert reports['x']['folds'][1]['confusion_matrix'] == fold1
    table = compare_reports(reports, {'pairs': [0, 0, 1, 1], 'singles': [0, 1, 2, 3]})
    header, rule, x_row, y_row = table.splitlines()
    assert header.endswith('| pairs (%) | singles (%) |') and rule.count('|') == header.count('|')
    # over the common fold 0 only: x 6 of 8 within the pair, 4 of 8 exact; y 8 and 4
    assert x_row.endswith('| 75.00 | 50.00 |') and y_row.endswith('| 100.00 | 50.00 |')
    with pytest.raises(ValueError, match='grouping names 3'):
        compare_reports(reports, {'wrong': [0, 0, 1]})
    del reports['y']['folds'][0]['confusion_matrix']  # as an earlier version wrote it
    with pytest.raises(ValueError, match="run 'y', fold 0: .* --report-only"):
        compare_reports(reports, {'pairs': [0, 0, 1, 1]})
    assert '| y |' in compare_reports(reports)  # without groups it still compares
