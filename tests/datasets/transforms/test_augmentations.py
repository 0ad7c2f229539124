"""The augmentations and normalisations of the voice and the face, on what they produce."""

import numpy as np
import pytest
import torch
from mmaction.registry import TRANSFORMS
from mmengine.dataset import Compose

import avemo_mm  # noqa: F401

RATE = 16000


def _sentence(seconds=2.0):
    """A 200 Hz voice in syllables, with pauses: ``[S]`` float32."""
    t = np.arange(int(seconds * RATE)) / RATE
    envelope = np.clip(np.sin(2 * np.pi * 2 * t), 0, None)
    return (0.3 * np.sin(2 * np.pi * 200 * t) * envelope).astype(np.float32)


def _build(name, **kwargs):
    return TRANSFORMS.build(dict(type=name, **kwargs))


@pytest.mark.parametrize('color', ['white', 'pink'])
@pytest.mark.parametrize('snr', [0.0, 10.0, 20.0])
def test_noise_comes_at_the_drawn_snr(color, snr):
    np.random.seed(0)
    clean = _sentence()
    out = _build('AudioNoise', snr_db=(snr, snr), color=color, prob=1.0)(
        dict(audio=clean.copy(), audio_sample_rate=RATE)
    )
    noise = out['audio'] - clean
    frames = clean.reshape(-1, 320)
    power = np.mean(frames**2, axis=1)
    speech = np.mean(power[power >= np.median(power)])
    assert 10 * np.log10(speech / np.mean(noise**2)) == pytest.approx(snr, abs=0.01)
    assert out['audio'].dtype == np.float32
    if color == 'pink':  # more power below 500 Hz than above 4 kHz
        spectrum = np.abs(np.fft.rfft(noise)) ** 2
        freqs = np.fft.rfftfreq(len(noise), 1 / RATE)
        assert spectrum[freqs < 500].mean() > 10 * spectrum[freqs > 4000].mean()


def test_gain_and_shift_and_their_probability():
    np.random.seed(1)
    clean = _sentence()
    louder = _build('AudioGain', gain_db=(6.0, 6.0))(dict(audio=clean.copy()))['audio']
    np.testing.assert_allclose(louder, clean * 10 ** (6 / 20), rtol=1e-6)
    shift = _build('AudioTimeShift', max_seconds=0.25, prob=1.0)
    for _ in range(5):
        shifted = shift(dict(audio=clean.copy(), audio_sample_rate=RATE))['audio']
        lags = np.arange(-4000, 4001)
        corr = [np.dot(np.roll(clean, lag), shifted) for lag in lags]
        lag = lags[int(np.argmax(corr))]
        assert abs(lag) <= 4000 and len(shifted) == len(clean)
        if lag > 0:
            assert not shifted[:lag].any()  # silence comes in, nothing wraps around
    never = _build('AudioNoise', prob=0.0)(dict(audio=clean.copy(), audio_sample_rate=RATE))
    assert np.array_equal(never['audio'], clean)
    with pytest.raises(ValueError, match='low <= high'):
        _build('AudioGain', gain_db=(6, -6))


@pytest.mark.parametrize('semitones', [-7.0, -2.0, 3.0, 12.0])
def test_pitch_shift_moves_the_pitch_and_keeps_the_timing(semitones):
    np.random.seed(0)
    clean = _sentence()
    shift = _build('AudioPitchShift', semitones=(semitones, semitones), prob=1.0)
    out = shift(dict(audio=clean.copy(), audio_sample_rate=RATE))['audio']
    assert out.shape == clean.shape and out.dtype == np.float32
    spectrum = np.abs(np.fft.rfft(out))
    peak = np.fft.rfftfreq(len(out), 1 / RATE)[spectrum.argmax()]
    assert peak == pytest.approx(200 * 2 ** (semitones / 12), rel=0.01)
    # the syllables stay where they were: the envelopes line up at lag 0
    frame = RATE // 100
    envelopes = [
        np.abs(a[: len(a) // frame * frame]).reshape(-1, frame).mean(1) for a in (clean, out)
    ]
    lags = range(-10, 11)
    corr = [np.dot(np.roll(envelopes[0], lag), envelopes[1]) for lag in lags]
    assert abs(list(lags)[int(np.argmax(corr))]) <= 1
    never = _build('AudioPitchShift', prob=0.0)(dict(audio=clean.copy(), audio_sample_rate=RATE))
    assert np.array_equal(never['audio'], clean)
    with pytest.raises(ValueError, match='low <= high'):
        _build('AudioPitchShift', semitones=(3, -3))


def test_spectrogram_masks_blank_bands_of_each_image_on_its_own():
    torch.manual_seed(0)
    np.random.seed(0)
    images = np.random.randn(6, 1, 64, 100).astype(np.float32) + 3.0
    masks = _build('SpectrogramMasks', freq_width=20, time_width=30, prob=1.0)
    out = masks(dict(audios=images.copy()))['audios']
    assert out.shape == images.shape and isinstance(out, np.ndarray)
    changed = ~np.isclose(out, images, atol=1e-5)  # [N, 1, F, L] (rounding aside)
    rows = changed.all(axis=3)[:, 0]  # whole frequency rows masked, per image
    cols = changed.all(axis=2)[:, 0]  # whole time columns
    assert rows.any(axis=1).sum() + cols.any(axis=1).sum() >= 6  # most images got a mask
    assert not np.array_equal(rows[0], rows[1]) or not np.array_equal(cols[0], cols[1])
    for i in range(6):  # a masked band holds the image's mean
        filled = out[i, 0][changed[i, 0]]
        assert np.allclose(filled, images[i].mean(), atol=1e-5) if filled.size else True


def test_the_light_changes_over_the_clip_in_time_order():
    np.random.seed(3)
    frames = [np.full((8, 8, 3), 100, np.uint8) for _ in range(12)]
    frames = [f + np.arange(8, dtype=np.uint8)[:, None, None] for f in frames]  # some contrast
    order = np.array([5, 6, 7, 8, 0, 1, 2, 3, 9, 10, 11, 4])  # not the list order
    change = _build('ClipLightChange', brightness=(0.5, 1.5), contrast=(1.0, 1.0), prob=1.0)
    out = change(dict(imgs=frames, frame_inds=order))['imgs']
    means = np.array([f.mean() for f in out])
    by_time = means[np.argsort(order)]
    steps = np.diff(by_time)
    assert np.all(steps >= -1) or np.all(steps <= 1)  # monotonic over time: a drift
    assert abs(by_time[-1] - by_time[0]) > 5


def _square_frames(count, size=64, side=20):
    """``count`` grey frames ``[size, size, 3]`` with a white square of ``side`` at the centre."""
    frame = np.full((size, size, 3), 50, np.uint8)
    low = (size - side) // 2
    frame[low : low + side, low : low + side] = 255
    return [frame.copy() for _ in range(count)]


def _square_box(frame):
    """The white square's (width, height, centre x, centre y) in pixels."""
    ys, xs = np.nonzero(frame[..., 0] > 150)
    return xs.max() - xs.min() + 1, ys.max() - ys.min() + 1, xs.mean(), ys.mean()


@pytest.mark.parametrize('zoom', [0.5, 1.6])
def test_the_scale_jitter_resizes_the_face_about_the_centre(zoom):
    np.random.seed(0)
    jitter = _build('ClipScaleJitter', scale=(zoom, zoom), shift=0.0, prob=1.0)
    out = jitter(dict(imgs=_square_frames(3)))['imgs']
    for frame in out:
        assert frame.shape == (64, 64, 3) and frame.dtype == np.uint8
        width, height, x, y = _square_box(frame)
        assert width == pytest.approx(20 * zoom, abs=1.5)
        assert height == pytest.approx(20 * zoom, abs=1.5)
        assert (x, y) == (pytest.approx(31.5, abs=0.6), pytest.approx(31.5, abs=0.6))
        if zoom < 1:  # the border is filled from the frame's edge, not black
            assert frame.min() == 50


def test_the_scale_jitter_drifts_in_time_order_and_shifts_within_its_bound():
    np.random.seed(1)
    order = np.array([3, 0, 5, 1, 4, 2])  # not the list order
    jitter = _build('ClipScaleJitter', scale=(0.5, 2.0), shift=0.1, prob=1.0)
    sizes, centres = [], []
    for _ in range(20):
        out = jitter(dict(imgs=_square_frames(6), frame_inds=order))['imgs']
        boxes = np.array([_square_box(f) for f in out])[np.argsort(order)]
        sizes.append(boxes[:, 0])
        centres.append(boxes[:, 2:])
    sizes, centres = np.array(sizes), np.array(centres)
    steps = np.diff(sizes, axis=1)
    assert np.all((steps >= -1).all(axis=1) | (steps <= 1).all(axis=1))  # a drift, not jumps
    assert sizes.min() < 14 and sizes.max() > 30  # both ways, and differently per clip
    assert np.abs(centres - 31.5).max() <= 0.1 * 64 + 1


def test_the_scale_jitter_refuses_a_bad_setting_by_name():
    with pytest.raises(ValueError, match='scale must be positive'):
        _build('ClipScaleJitter', scale=(0.0, 1.0))
    with pytest.raises(ValueError, match='shift'):
        _build('ClipScaleJitter', shift=0.5)
    unchanged = _square_frames(2)
    out = _build('ClipScaleJitter', prob=0.0)(dict(imgs=unchanged))['imgs']
    assert all(np.array_equal(a, b) for a, b in zip(out, _square_frames(2), strict=True))


@pytest.mark.parametrize('per_channel', [True, False])
def test_frame_standardize_takes_out_the_light_and_keeps_the_shape(per_channel):
    rng = np.random.default_rng(0)
    face = rng.uniform(60, 200, (16, 16, 3))
    dim = np.clip(face * [0.3, 0.4, 0.5] + 10, 0, 255).astype(np.uint8)  # dark, tinted
    bright = np.clip(face * 1.1, 0, 255).astype(np.uint8)
    flat = np.full((16, 16, 3), 77, np.uint8)
    standardize = _build('FrameStandardize', per_channel=per_channel)
    out = standardize(dict(imgs=[dim, bright, flat]))['imgs']
    axes = (0, 1) if per_channel else None
    for frame in out[:2]:
        assert frame.dtype == np.uint8 and frame.shape == (16, 16, 3)
        assert np.allclose(frame.mean(axis=axes), 114.75, atol=1.0)
        assert np.allclose(frame.std(axis=axes), 57.375, atol=1.5)
    if per_channel:  # the same face in any light and tint: nearly the same frame
        apart = np.abs(out[0].astype(int) - out[1].astype(int))
        assert apart.max() <= 4 and apart.mean() < 1.5  # the dim frame's coarser levels
    else:  # the tint stays: the red channel darker than the blue
        assert out[0][..., 0].mean() < out[0][..., 2].mean()
    assert np.all(out[2] == 115)  # a flat frame stays flat, at the mean
    with pytest.raises(ValueError, match='std must be positive'):
        _build('FrameStandardize', std=0)


def test_clip_change_keeps_what_changes_and_takes_out_the_person():
    rng = np.random.default_rng(0)
    smile = np.zeros((16, 16, 3))
    smile[10:12, 4:12] = 20.0  # the expression: a few pixels a few levels brighter
    shows = [False, True, True, False]  # frames 1-2 are the expression's window

    def clip(look):  # one person's frames: their look, the expression where it shows
        return [np.clip(look + smile * s, 0, 255).astype(np.uint8) for s in shows]

    one, other = (rng.uniform(40, 200, (16, 16, 3)) for _ in range(2))
    change = _build('ClipChange', gain=2.0)
    first, second = change(dict(imgs=clip(one)))['imgs'], change(dict(imgs=clip(other)))['imgs']
    for frame_a, frame_b in zip(first, second, strict=True):  # the look is gone
        assert frame_a.dtype == np.uint8 and frame_a.shape == (16, 16, 3)
        assert np.abs(frame_a.astype(int) - frame_b.astype(int)).max() <= 2
    mouth = (slice(10, 12), slice(4, 12))
    # the mean of the four frames lies halfway: +-10 levels, amplified twice, about 114.75
    assert np.allclose(first[1][mouth], 115 + 20, atol=2)
    assert np.allclose(first[0][mouth], 115 - 20, atol=2)
    assert np.abs(first[0][:8].astype(int) - 115).max() <= 1  # unchanged pixels: flat
    with pytest.raises(ValueError, match='gain must be positive'):
        _build('ClipChange', gain=0)


def test_they_compose_in_a_pipeline_between_load_and_spectrogram(tmp_path):
    from avemo_mm.utils import write_wav

    wav = str(tmp_path / 'voice.wav')
    write_wav(wav, _sentence(3.0), RATE)
    pipeline = Compose(
        [
            TRANSFORMS.build(step)
            for step in [
                dict(type='LoadAudio'),
                dict(type='AudioGain'),
                dict(type='AudioNoise', prob=1.0),
                dict(type='AudioTimeShift', prob=1.0),
                dict(type='AudioPitchShift', prob=1.0),
                dict(type='SnippetLogSpectrogram', num_bins=64, scale='mel'),
                dict(type='SpectrogramMasks', prob=1.0),
            ]
        ]
    )
    out = pipeline(dict(audio_path=wav, snippet_times=np.array([0.5, 1.5, 2.5])))
    assert out['audios'].shape == (3, 1, 64, 100) and np.isfinite(out['audios']).all()
