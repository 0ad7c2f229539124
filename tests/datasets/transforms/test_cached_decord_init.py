"""CachedDecordInit: decord's own pixels, read from memory, within its budget."""

import numpy as np
import pytest
from mmaction.registry import TRANSFORMS
from mmengine.dataset import Compose

from avemo_mm.datasets.transforms import DecodedFrames
from avemo_mm.utils.av_writer import write_av_clip


def _clip(path, num_frames=40, seed=0):
    """A 64 px H.264 clip with moving content (P and B frames that decode by reference)."""
    rng = np.random.default_rng(seed)
    frames = rng.integers(0, 255, (num_frames, 64, 64, 3), dtype=np.uint8)
    frames[:, 16:48, 16:48] = np.arange(num_frames, dtype=np.uint8)[:, None, None, None] * 5
    write_av_clip(str(path), frames, fps=25)
    return str(path)


def _pipeline(init, test_mode):
    sampling = dict(type='SampleSnippets', num_snippets=3, snippet_len=4, test_mode=test_mode)
    return Compose(
        [
            TRANSFORMS.build(init),
            TRANSFORMS.build(sampling),
            TRANSFORMS.build(dict(type='DecordDecode')),
        ]
    )


@pytest.mark.parametrize('test_mode', [False, True])
def test_same_frames_as_decord_first_time_and_from_memory(tmp_path, test_mode):
    path = _clip(tmp_path / 'a.mp4')
    stock = _pipeline(dict(type='DecordInit'), test_mode)
    cached = _pipeline(dict(type='CachedDecordInit'), test_mode)
    for trial in range(3):  # first read decodes, later ones come from memory
        outs = []
        for pipeline in (stock, cached):
            # the same snippets for both: sampling is seeded per trial
            np.random.seed(trial)
            outs.append(pipeline(dict(filename=path, start_index=0, modality='RGB')))
        assert outs[0]['total_frames'] == outs[1]['total_frames'] == 40
        assert outs[0]['avg_fps'] == outs[1]['avg_fps']
        np.testing.assert_array_equal(outs[0]['frame_inds'], outs[1]['frame_inds'])
        np.testing.assert_array_equal(np.stack(outs[0]['imgs']), np.stack(outs[1]['imgs']))
    assert [key[0] for key in cached.transforms[0]._clips] == [path]


def test_frames_handed_out_are_copies():
    init = TRANSFORMS.build(dict(type='CachedDecordInit'))
    init._keep(('x',), DecodedFrames(np.zeros((4, 2, 2, 3), np.uint8), 25.0))
    batch = init._clips[('x',)].get_batch([1, 2]).asnumpy()
    batch += 7
    assert init._clips[('x',)].frames.max() == 0


def test_least_recently_used_clips_leave_within_the_budget(tmp_path):
    paths = [_clip(tmp_path / f'{i}.mp4', seed=i) for i in range(3)]
    clip_mb = 40 * 64 * 64 * 3 / 2**20  # 0.47 MB decoded
    init = TRANSFORMS.build(dict(type='CachedDecordInit', max_megabytes=2.5 * clip_mb))
    for path in (paths[0], paths[1], paths[0], paths[2]):  # 1 is least recent when 2 comes
        init(dict(filename=path))
    assert [key[0] for key in init._clips] == [paths[0], paths[2]]
    assert init._bytes == 2 * 40 * 64 * 64 * 3
    tiny = TRANSFORMS.build(dict(type='CachedDecordInit', max_megabytes=clip_mb / 2))
    out = tiny(dict(filename=paths[0]))  # larger than the budget: read, not kept
    assert out['total_frames'] == 40 and not tiny._clips
    with pytest.raises(ValueError, match='max_megabytes'):
        TRANSFORMS.build(dict(type='CachedDecordInit', max_megabytes=0))


def test_a_file_written_again_is_decoded_again(tmp_path):
    path = _clip(tmp_path / 'a.mp4', seed=0)
    init = TRANSFORMS.build(dict(type='CachedDecordInit'))
    first = init(dict(filename=path))['video_reader'].frames.copy()
    _clip(tmp_path / 'a.mp4', num_frames=30, seed=1)  # the same name, other content
    again = init(dict(filename=path))['video_reader'].frames
    assert len(again) == 30 and len(first) == 40 and len(init._clips) == 2
