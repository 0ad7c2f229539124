"""Awkward and broken media (tests/awkward_media.py) in every stage: the preparation
tool, training and the demo each use what is usable and name what is not."""

import csv
import json
import os.path as osp
import warnings

import numpy as np
import pytest
import torch
from awkward_media import BROKEN, NAMES, SHORT, USABLE, VFR_STEPS
from conftest import REPO_ROOT, TINY_CONFIG, assert_ok, run_tool

from avemo_mm.apis import inference_av, init_model
from avemo_mm.utils.media import MediaError, probe_media


def test_preparation_prepares_the_usable_and_reports_each_other_file(awkward_corpus, tmp_path):
    root, out = osp.dirname(osp.dirname(awkward_corpus['silent'])), str(tmp_path / 'out')
    log = assert_ok(
        run_tool(
            ['tools/data/prepare_dataset.py', 'ravdess', root, out, '--face-size', '32'],
            REPO_ROOT,
        )
    )
    with open(osp.join(out, 'annotations.json')) as fh:
        records = {r['clip_id'] + '.mp4': r for r in json.load(fh)['data_list']}
    with open(osp.join(out, 'report', 'skipped.csv')) as fh:
        reasons = {osp.basename(r['file']): r['reason'] for r in csv.DictReader(fh)}
    # a clip longer than --max-duration (20 s) is not one utterance: skipped, named
    assert '30.0 s long, over 20.0 s' in reasons[NAMES['long']]
    assert set(records) == {NAMES[k] for k in USABLE if k != 'long'}
    for kind in ('zero_length', 'truncated', 'corrupt'):
        assert 'cannot open' in reasons[NAMES[kind]] and NAMES[kind] in log
    assert 'no audio stream' in reasons[NAMES['no_audio']]
    assert '6 frames, fewer than 16' in reasons[NAMES[SHORT]]
    for kind in set(USABLE) - {'long'}:
        record = records[NAMES[kind]]
        face = probe_media(osp.join(out, record['face_video']), decode_audio=False)
        assert (face.width, face.height, face.num_frames) == (32, 32, record['num_frames'])
        assert record['has_audio'] and not record['face_fallback'], kind
    # variable frame rate: the cache is resampled to the average rate by timestamps,
    # so it lasts as long as the source (and its audio) instead of as many frames
    vfr = records[NAMES['vfr']]
    span = sum(VFR_STEPS[t % 3] for t in range(110)) + 1 / vfr['fps']
    assert abs(vfr['num_frames'] / vfr['fps'] - span) <= 1 / vfr['fps']


def test_training_replaces_each_broken_file_and_no_nan_reaches_the_loss(awkward_corpus, mm_log):
    from mmaction.registry import DATASETS, MODELS
    from mmengine.config import Config
    from mmengine.dataset import pseudo_collate
    from mmengine.registry import init_default_scope

    init_default_scope('mmaction')
    cfg = Config.fromfile(TINY_CONFIG)
    root = osp.dirname(osp.dirname(awkward_corpus['silent']))
    dataset = DATASETS.build(
        dict(
            type='RavdessDataset',
            data_root=root,
            video_source='original',
            split='all',
            pipeline=cfg.train_pipeline,
        )
    )
    assert len(dataset) == len(NAMES)
    samples = [dataset[i] for i in range(len(dataset))]  # a broken one: another drawn
    for kind in BROKEN:
        assert f'{awkward_corpus[kind]} failed to decode' in mm_log, kind
    assert dataset.num_failed_samples >= len(BROKEN)
    for sample in samples:
        assert sample['inputs']['imgs'].shape == (6, 3, 4, 64, 64)
        assert torch.isfinite(sample['inputs']['audios']).all()
    # the tiny model's losses on every usable file (silent audio, short clip...)
    model = MODELS.build(cfg.model)
    model.set_dataset_meta(dataset.metainfo)
    batch = model.data_preprocessor(pseudo_collate(samples), training=True)
    losses = model(**batch, mode='loss')
    assert all(torch.isfinite(value).all() for value in losses.values()), losses


@pytest.fixture(scope='module')
def model(tiny_avemo):
    return init_model(TINY_CONFIG, tiny_avemo['checkpoint'])


UNREADABLE = ('zero_length', 'truncated', 'corrupt')


@pytest.mark.parametrize('kind', [*USABLE, SHORT, 'gray_one_channel', *BROKEN])
def test_demo_predicts_on_usable_files_and_names_unusable_ones(model, awkward_corpus, kind):
    path = awkward_corpus[kind]
    if kind in UNREADABLE:
        with pytest.raises(MediaError, match=f'{path}: cannot open'):
            inference_av(model, path)
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        result = inference_av(model, path, window=1.0, hop=1.0)
    scores = result.clip.scores
    assert np.isfinite(scores).all() and abs(scores.sum() - 1) < 1e-4
    assert result.modality == ('video' if kind == 'no_audio' else 'audio-visual')
    if kind == 'no_audio':
        assert any('no audio' in str(w.message) for w in caught)
    source = probe_media(path, decode_audio=False)
    windows = result.timeline
    assert windows and windows[-1].end == pytest.approx(source.duration, abs=0.1)
