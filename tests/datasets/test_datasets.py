"""RavdessDataset and CremaDDataset on generated corpora in the official layouts."""

import json
import os
import shutil

import numpy as np
import pytest
from conftest import av_pipeline
from mmaction.registry import DATASETS
from mmengine.registry import init_default_scope

import avemo_mm  # noqa: F401

init_default_scope('mmaction')


def infos(ds):
    """Every data info (mmengine serialises the list, so ``infos(ds)`` is empty)."""
    return [ds.get_data_info(i) for i in range(len(ds))]


def build(type_, **kwargs):
    kwargs.setdefault('pipeline', [])
    return DATASETS.build(dict(type=type_, **kwargs))


def test_ravdess_scan_keeps_every_field_and_metainfo(ravdess_root):
    ds = build(
        'RavdessDataset', data_root=ravdess_root, video_source='original', split='all', num_folds=4
    )
    assert len(ds) == 60  # 4 actors x 15 audio-visual speech clips (video-only left out)
    info = ds.get_data_info(0)
    for key in (
        'file_modality',
        'vocal_channel',
        'emotion',
        'intensity',
        'statement',
        'repetition',
        'actor',
        'label',
        'clip_id',
        'filename',
        'audio_path',
    ):
        assert key in info
    assert info['file_modality'] == 'audio-visual' and info['audio_path'] == info['filename']
    assert info['modality'] == 'RGB'  # MMAction2's own key is left as MMAction2 sets it
    assert ds.metainfo['classes'][4] == 'angry' and ds.metainfo['polarities'][4] == 'negative'
    silent = build(
        'RavdessDataset',
        data_root=ravdess_root,
        video_source='original',
        split='all',
        file_modality='video-only',
    )
    assert len(silent) == 60 and silent.get_data_info(0)['audio_path'] is None


def test_folds_select_actors(ravdess_prepared, ravdess_root):
    ann = os.path.join(ravdess_prepared, 'annotations.json')
    splits = {
        s: build(
            'RavdessDataset', ann_file=ann, data_root=ravdess_root, fold=0, num_folds=4, split=s
        )
        for s in ('train', 'val', 'test')
    }
    actors = {s: {d['actor'] for d in infos(ds)} for s, ds in splits.items()}
    # 24 official actors over 4 groups, males forward, females backward (balanced by
    # sex): fold 0 tests 1, 8, 9, ..; validates 3, 6, 11, ..
    assert actors == {'train': {2, 4}, 'val': {3}, 'test': {1}}
    assert all(
        d['filename'].endswith('.mp4') and '/faces/' in d['filename']
        for d in infos(splits['train'])
    )


def test_external_split_file(ravdess_prepared, ravdess_root, tmp_path):
    split = tmp_path / 'split.json'
    split.write_text(json.dumps(dict(train=['01', '02'], val=[], test=[3, 4])))
    ds = build(
        'RavdessDataset',
        ann_file=os.path.join(ravdess_prepared, 'annotations.json'),
        split_file=str(split),
        split='test',
    )
    assert {d['actor'] for d in infos(ds)} == {3, 4}


@pytest.mark.parametrize(
    'kwargs,error,match',
    [
        (dict(fold=10), ValueError, 'fold 10 is out of range for num_folds=10'),
        (dict(split='dev'), ValueError, 'split must be one of'),
        (dict(fold=5, num_folds=10, split='test'), ValueError, 'has no samples'),
        (dict(file_modality='silent'), ValueError, 'file_modality must be among'),
        (dict(data_root='/does/not/exist'), FileNotFoundError, '/does/not/exist'),
        (dict(video_source='faces'), ValueError, 'needs the ann_file'),
    ],
)
def test_bad_configuration_is_a_clear_error_before_training(ravdess_root, kwargs, error, match):
    args = dict(data_root=ravdess_root, video_source='original')
    args.update(kwargs)
    with pytest.raises(error, match=match):
        build('RavdessDataset', **args)


def test_bad_names_and_missing_annotated_files_are_counted(
    ravdess_root, ravdess_prepared, tmp_path, mm_log
):
    root = tmp_path / 'RAVDESS'
    shutil.copytree(os.path.join(ravdess_root, 'Actor_01'), root / 'Actor_01')
    (root / 'Actor_01' / 'not-a-ravdess-name.mp4').write_bytes(b'')
    ds = build('RavdessDataset', data_root=str(root), video_source='original', split='all')
    assert len(ds) == 15
    ann = json.load(open(os.path.join(ravdess_prepared, 'annotations.json')))
    ann['data_list'][0]['face_video'] = 'faces/gone.mp4'
    (tmp_path / 'annotations.json').write_text(json.dumps(ann))
    shutil.copytree(os.path.join(ravdess_prepared, 'faces'), tmp_path / 'faces')
    shutil.copytree(os.path.join(ravdess_prepared, 'audio'), tmp_path / 'audio')
    ds = build('RavdessDataset', ann_file=str(tmp_path / 'annotations.json'), split='all')
    assert len(ds) == 59
    out = str(mm_log)
    assert 'not-a-ravdess-name.mp4' in out and 'faces/gone.mp4, which does not exist' in out
    assert '1 unparseable names' in out and '1 missing files' in out


def test_pipeline_packs_both_modalities(ravdess_prepared):
    ds = build(
        'RavdessDataset',
        ann_file=os.path.join(ravdess_prepared, 'annotations.json'),
        split='all',
        pipeline=av_pipeline(test_mode=True),
    )
    sample = ds[0]
    assert sample['inputs']['imgs'].shape == (6, 3, 4, 32, 32)
    assert sample['inputs']['audios'].shape == (6, 1, 32, 32)
    assert sample['data_samples'].gt_label.item() == ds.get_data_info(0)['label']


def test_training_replaces_a_sample_that_fails_to_decode(ravdess_prepared, tmp_path, mm_log):
    work = tmp_path / 'prepared'
    shutil.copytree(ravdess_prepared, work)
    ds = build(
        'RavdessDataset',
        ann_file=str(work / 'annotations.json'),
        split='all',
        pipeline=av_pipeline(),
    )
    broken = ds.get_data_info(0)['filename']
    with open(broken, 'wb') as fh:
        fh.write(b'\x00' * 100)  # corrupt the cached face clip
    np.random.seed(0)  # mmengine draws the replacement with numpy: not clip 0 again
    sample = ds[0]  # refetched: another clip
    assert sample['inputs']['imgs'].shape == (6, 3, 4, 32, 32)
    assert ds.num_failed_samples == 1
    assert f'{broken} failed to decode' in mm_log
    test_ds = build(
        'RavdessDataset',
        ann_file=str(work / 'annotations.json'),
        split='all',
        pipeline=av_pipeline(test_mode=True),
        test_mode=True,
    )
    with pytest.raises(Exception, match=broken):
        test_ds[0]


def test_cremad_scan_labels_and_sidecar_audio(cremad_root):
    ds = build('CremaDDataset', data_root=cremad_root, video_source='original', split='all')
    assert len(ds) == 3 * 17
    info = next(d for d in infos(ds) if d['clip_id'] == '1001_DFA_HAP_HI')
    assert info['label'] == 3 and info['emotion'] == 'happy' and info['level'] == 'HI'
    assert info['audio_path'].endswith('AudioWAV/1001_DFA_HAP_HI.wav')
    assert ds.metainfo['classes'] == ('angry', 'disgust', 'fearful', 'happy', 'neutral', 'sad')


def test_cremad_perceived_votes(cremad_root, mm_log):
    intended = build('CremaDDataset', data_root=cremad_root, video_source='original', split='all')
    voted = build(
        'CremaDDataset',
        data_root=cremad_root,
        video_source='original',
        split='all',
        label_source='multimodal',
    )
    rows = [
        line.split(',')
        for line in open(os.path.join(cremad_root, 'processedResults', 'summaryTable.csv'))
    ][1:]
    ties = sum(':' in r[6] for r in rows)
    assert len(voted) == len(intended) - ties and ties > 0
    changed = [d for d in infos(voted) if d['label'] != d['intended_label']]
    assert changed  # some perceived votes differ from the intended emotion
    assert f'left out {ties} tied votes' in mm_log


def test_cremad_votes_need_the_summary_table(tmp_path, cremad_root):
    root = tmp_path / 'C'
    shutil.copytree(os.path.join(cremad_root, 'VideoFlash'), root / 'VideoFlash')
    with pytest.raises(FileNotFoundError, match='summaryTable.csv'):
        build(
            'CremaDDataset',
            data_root=str(root),
            video_source='original',
            split='all',
            label_source='voice',
        )
