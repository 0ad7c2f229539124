"""The synthetic corpus generator, and a stock MMAction2 visual-only model on it."""

import os

import av
import numpy as np
from conftest import REPO_ROOT, assert_ok, run_tool

from avemo_mm.datasets import synthetic
from avemo_mm.datasets.synthetic import AUDIO_GROUP, VISUAL_GROUP, plan_corpus, render_clip


def test_layout_and_containers(ravdess_root):
    actors = sorted(os.listdir(ravdess_root))
    assert actors == ['Actor_01', 'Actor_02', 'Actor_03', 'Actor_04']
    names = sorted(os.listdir(os.path.join(ravdess_root, 'Actor_02')))
    assert len(names) == 30 and names[0] == '01-01-01-01-01-01-02.mp4'
    with av.open(os.path.join(ravdess_root, 'Actor_02', names[0])) as c:
        kinds = {s.type: s.codec_context.name for s in c.streams}
        rate = c.streams.audio[0].rate
    assert kinds == {'video': 'h264', 'audio': 'aac'} and rate == 48000
    with av.open(os.path.join(ravdess_root, 'Actor_02', '02-01-01-01-01-01-02.mp4')) as c:
        assert [s.type for s in c.streams] == ['video']


def test_each_modality_carries_part_of_the_label():
    pairs = {(VISUAL_GROUP[e], AUDIO_GROUP[e]) for e in range(8)}
    assert len(pairs) == 8  # fused, every emotion is distinct
    assert len(set(VISUAL_GROUP)) == 4 and len(set(AUDIO_GROUP)) == 4  # alone: pairs collide
    # the audio groups differ measurably in pitch: estimate f0 of one clip per group
    clips = {c.emotion: c for c in plan_corpus('/unused', 1, (1,), (1,))}
    f0 = {}
    for emotion in (1, 2, 3, 7):  # one emotion of each audio group
        _, audio = render_clip(clips[emotion], np.random.default_rng(0))
        spectrum = np.abs(np.fft.rfft(audio[48000:96000]))
        f0[AUDIO_GROUP[emotion - 1]] = np.argmax(spectrum[50:400]) + 50  # 1 Hz bins
    assert f0[0] < f0[3] < f0[1] < f0[2]  # 110 < 135 < 165 < 240 Hz, each +-20%


def _expression_and_audio(monkeypatch, episode):
    """Each frame's drawn smile ``[V]`` and the audio ``[S]`` of one happy clip."""
    smiles = []

    def record(*args):
        smiles.append(args[4])  # draw_face(height, width, center, scale, smile, ...)
        return np.zeros((args[0], args[1], 3), np.uint8)

    monkeypatch.setattr(synthetic, 'draw_face', record)
    happy = next(c for c in plan_corpus('/unused', 1, (1,), (1,)) if c.emotion == 3)
    _, audio = render_clip(happy, np.random.default_rng(3), size=(32, 24), episode=episode)
    return np.array(smiles), audio


def test_episode_shows_the_emotion_in_one_window_of_both_modalities(monkeypatch):
    smiles, _ = _expression_and_audio(monkeypatch, episode=False)
    assert np.all(smiles == smiles[0]) and smiles[0] > 0.1  # the whole clip smiles
    smiles, audio = _expression_and_audio(monkeypatch, episode=True)
    showing = np.flatnonzero(smiles != 0.0)  # 0.0: the neutral face's smile
    first, last = showing[0] / 30, (showing[-1] + 1) / 30  # s, at 30 fps
    assert np.array_equal(showing, np.arange(showing[0], showing[-1] + 1))  # one window
    shortest, longest = synthetic.EPISODE_SECONDS
    assert shortest - 0.1 <= last - first <= longest + 0.1 and first >= 0.3  # 30 fps
    assert smiles.max() > 0.1 and np.sum(smiles == smiles.max()) >= 0.5 * 30  # full, >= 0.5 s
    # the voice is loud in the same window only (its syllables: 20 ms RMS, peak per part)
    rms = np.sqrt(np.mean(audio[: len(audio) // 960 * 960].reshape(-1, 960) ** 2, axis=1))
    inside = rms[int(first * 50) + 2 : int(last * 50) - 2]
    outside = np.concatenate([rms[15 : int(first * 50) - 5], rms[int(last * 50) + 5 : -15]])
    assert inside.max() > 2.5 * outside.max()


def test_same_seed_same_content_and_the_episodes_flag(tmp_path):
    for name, extra in (('a', []), ('b', []), ('episodes', ['--episodes'])):
        command = ['tools/data/make_synthetic_ravdess.py', str(tmp_path / name), '--actors', '1']
        assert_ok(run_tool([*command, '--statements', '1', *extra], REPO_ROOT))
    clip = os.path.join('Actor_01', '01-01-05-02-01-01-01.mp4')
    import decord

    frames = [
        decord.VideoReader(str(tmp_path / n / clip))[10].asnumpy() for n in ('a', 'b', 'episodes')
    ]
    assert np.array_equal(frames[0], frames[1])
    assert not np.array_equal(frames[0], frames[2])  # --episodes reaches the clips


def test_stock_visual_only_model_trains_on_the_dataset(ravdess_prepared, tmp_path):
    """MMAction2's Recognizer3D + I3DHead on RavdessDataset, audio keys dropped."""
    cfg = tmp_path / 'stock_i3d_ravdess.py'
    cfg.write_text(f"""
_base_ = ['mmaction::_base_/default_runtime.py']
custom_imports = dict(imports=['avemo_mm'], allow_failed_imports=False)
model = dict(
    type='Recognizer3D',
    backbone=dict(type='ResNet3d', depth=18, pretrained=None, pretrained2d=False,
                  base_channels=8, conv1_stride_t=1, pool1_stride_t=1, inflate=(1, 1, 1, 1)),
    cls_head=dict(type='I3DHead', num_classes=8, in_channels=64, average_clips='prob'),
    data_preprocessor=dict(type='ActionDataPreprocessor', mean=[128] * 3, std=[64] * 3,
                           format_shape='NCTHW'))
pipeline = [dict(type='DecordInit'), dict(type='SampleSnippets', snippet_len=4, single_clip=True),
            dict(type='DecordDecode'), dict(type='Resize', scale=(32, 32), keep_ratio=False),
            dict(type='FormatShape', input_format='NCTHW'), dict(type='PackActionInputs')]
train_dataloader = dict(batch_size=4, num_workers=0, sampler=dict(type='DefaultSampler'),
    dataset=dict(type='RavdessDataset', ann_file='{ravdess_prepared}/annotations.json',
                 num_folds=4, split='train', pipeline=pipeline))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=1)
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.01))
default_hooks = dict(logger=dict(interval=5), checkpoint=dict(save_best=None))
""")
    log = assert_ok(
        run_tool(['tools/train.py', str(cfg), '--work-dir', str(tmp_path / 'wd')], REPO_ROOT)
    )
    assert (
        'Epoch(train) [1][8/8]' in log
    )  # 30 clips of actors 3-4, batch 4 and os.path.isfile(tmp_path / 'wd' / 'epoch_1.pth')
