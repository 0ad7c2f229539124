"""SampleSnippets: any clip length and fps gives valid, in-range, aligned indices."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from avemo_mm.datasets.transforms import SampleSnippets, snippet_indices
from avemo_mm.utils import MediaError


@given(
    total=st.integers(1, 5000),
    fps=st.floats(1.0, 120.0),
    n=st.integers(1, 8),
    k=st.integers(1, 32),
    seed=st.integers(0, 2**16),
)
def test_indices_valid_for_any_clip(total, fps, n, k, seed):
    jitter = np.random.default_rng(seed).random(n * k)
    for j in (None, jitter):
        inds, times = snippet_indices(total, fps, n, k, j)
        assert inds.shape == (n * k,) and inds.dtype == np.int64
        assert inds.min() >= 0 and inds.max() <= total - 1
        assert np.all(np.diff(inds) >= 0)  # time order
        assert times.shape == (n,) and np.all(np.diff(times) >= 0)
        assert np.all(times >= 0) and np.all(times <= total / fps + 1e-9)
        # each centre lies within its own snippet's span
        spans = inds.reshape(n, k)
        assert np.all(times >= spans[:, 0] / fps - 1e-9)
        assert np.all(times <= (spans[:, -1] + 1) / fps + 1e-9)


def test_paper_setting_by_hand():
    # 3.8 s at 30 fps = 114 frames, 96 keyframes: centres at (i + .5) * 114 / 96
    inds, times = snippet_indices(114, 30.0, 6, 16)
    assert inds[0] == 0 and inds[-1] == 113 and len(set(inds)) == 96
    assert np.all(np.diff(inds) <= 2)  # 1-3 source frames apart, as the method notes say
    assert times[0] == pytest.approx((0 + 18 + 1) / 60)


def test_training_jitters_and_testing_is_deterministic():
    results = dict(total_frames=114, avg_fps=30.0)
    test = SampleSnippets(test_mode=True)
    assert np.array_equal(test(dict(results))['frame_inds'], test(dict(results))['frame_inds'])
    train = SampleSnippets()
    draws = {tuple(train(dict(results))['frame_inds']) for _ in range(5)}
    assert len(draws) > 1
    out = train(dict(results))
    assert out['clip_len'] == 16 and out['num_clips'] == 6 and out['snippet_times'].shape == (6,)
    single = SampleSnippets(single_clip=True)(dict(results))
    assert single['clip_len'] == 96 and single['num_clips'] == 1


def test_probed_count_caps_an_over_reported_length():
    out = SampleSnippets(test_mode=True)(dict(total_frames=10_000, num_frames=50, avg_fps=25.0))
    assert out['frame_inds'].max() <= 49


def test_short_clip_repeats_frames_and_bad_rate_is_an_error():
    out = SampleSnippets(test_mode=True)(dict(total_frames=20, fps=30.0))
    assert out['frame_inds'].max() == 19 and len(out['frame_inds']) == 96
    with pytest.raises(MediaError, match='clip.mp4: unknown frame rate'):
        SampleSnippets()(dict(total_frames=20, fps=0, filename='clip.mp4'))
    assert 'num_snippets=6' in repr(SampleSnippets())


@given(
    total=st.integers(2, 3000),
    fps=st.floats(1.0, 120.0),
    start=st.integers(0, 2999),
    length=st.integers(1, 3000),
)
def test_frame_window_keeps_indices_and_times_inside_the_window(total, fps, start, length):
    start = start % total
    stop = min(total, start + length)
    results = SampleSnippets(3, 4, test_mode=True)(
        dict(total_frames=total, avg_fps=fps, frame_window=(start, stop))
    )
    inds, times = results['frame_inds'], results['snippet_times']
    assert inds.min() >= start and inds.max() < stop
    assert (times >= start / fps - 1e-9).all() and (times <= stop / fps + 1e-9).all()
    # the same as sampling a clip of the window's length, shifted
    alone, alone_times = snippet_indices(stop - start, fps, 3, 4)
    assert (inds == alone + start).all() and np.allclose(times, alone_times + start / fps)


def test_empty_frame_window_is_an_error():
    with pytest.raises(MediaError, match=r'frame_window \(50, 60\) holds none'):
        SampleSnippets(2, 2)(dict(total_frames=40, avg_fps=25.0, frame_window=(50, 60)))
