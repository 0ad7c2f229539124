"""Recognise the emotion in your own video (or a webcam or stream) with a trained model.

Finds the face, runs the config's test pipeline on the face crops and the video's own
audio track, prints the likeliest emotions, and on request writes the video back with
the prediction drawn on it, and a timeline of sliding-window predictions.

Examples::

    python tools/demo.py clip.mp4 configs/avemo_ravdess.py best.pth
    python tools/demo.py clip.mp4 CONFIG CKPT --out-video clip_emotion.mp4
    python tools/demo.py talk.mp4 CONFIG CKPT --window 4 --hop 2 \\
        --timeline talk.csv --timeline-plot talk.png --out-video talk_emotion.mp4
    python tools/demo.py clip.mp4 CONFIG CKPT --modality video   # ignore the sound
    python tools/demo.py meeting.mp4 CONFIG CKPT --all-faces --out-dir meeting_faces
    python tools/demo.py rtsp://cam/live CONFIG CKPT --stream --all-faces \\
        --option rtsp_transport=tcp --out-dir live_out --max-seconds 60
    python tools/demo.py /dev/video0 CONFIG CKPT --stream --format v4l2 \\
        --audio-source default --audio-format alsa       # camera + microphone
    python tools/demo.py clip.mp4 --onnx deploy/avemo_tiny_ravdess.onnx  # no PyTorch

Exit status 0 on success, 1 with a one-line message naming the file when the input
cannot be used (does not decode, too short, neither audio nor face).
"""

import argparse
import os
import os.path as osp
import sys
import time
import warnings

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))  # run from a checkout

import numpy as np  # noqa: E402

import avemo_mm  # noqa: E402  (registers modules, applies avemo_mm.compat)
from avemo_mm.apis import (  # noqa: E402
    InferenceWarning,
    LiveSource,
    Prediction,
    as_backend,
    inference_all_faces,
    inference_av,
    live_tracks,
    stream_predictions,
    write_tracks_json,
    write_windows_csv,
)
from avemo_mm.deploy import DeployError, OnnxRecognizer  # noqa: E402
from avemo_mm.utils.media import MediaError  # noqa: E402
from avemo_mm.visualization import (  # noqa: E402
    plot_timeline,
    write_all_faces_video,
    write_annotated_video,
    write_timeline,
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Emotion recognition on a video.')
    parser.add_argument(
        'video',
        help='video file; with --stream any source FFmpeg opens (file, URL, device; a '
        'number N is the camera /dev/videoN)',
    )
    parser.add_argument('config', nargs='?', help='the config the model was trained with')
    parser.add_argument('checkpoint', nargs='?', help='checkpoint file (loaded weights-only)')
    parser.add_argument(
        '--onnx',
        help='an exported model (tools/deployment/export_onnx.py) run by ONNX Runtime, '
        'instead of CONFIG and CHECKPOINT; needs no PyTorch',
    )
    parser.add_argument('--device', default='cpu', help='cpu, cuda, cuda:1 ...')
    parser.add_argument(
        '--modality',
        default='auto',
        choices=['auto', 'audio-visual', 'video', 'audio'],
        help='inputs to use; auto drops the audio of a silent file or the video without '
        'a face, with a message',
    )
    parser.add_argument('--top-k', type=int, default=3, help='emotions to print')
    parser.add_argument('--out-video', help='write the video with the prediction drawn on')
    parser.add_argument('--window', type=float, help='sliding-window length in seconds')
    parser.add_argument('--hop', type=float, help='seconds between windows (window / 2)')
    parser.add_argument('--timeline', help='write the windows as .csv or .json')
    parser.add_argument('--timeline-plot', help='plot the windows as a .png')
    live = parser.add_argument_group('live sources (--stream)')
    live.add_argument(
        '--stream',
        action='store_true',
        help='predict as the source plays: a file, a growing file (--option follow=1), '
        'http(s)://, .m3u8, rtsp://, a device; sound and pictures through PyAV',
    )
    live.add_argument('--format', help="FFmpeg's input format (v4l2, lavfi, avfoundation, dshow)")
    live.add_argument(
        '--option', action='append', default=[], metavar='KEY=VALUE', help='an input option'
    )
    live.add_argument('--audio-source', help='a second input for the sound (ALSA: default)')
    live.add_argument('--audio-format', help='its input format (alsa)')
    live.add_argument(
        '--audio-option', action='append', default=[], metavar='KEY=VALUE', help='its option'
    )
    live.add_argument(
        '--every-window',
        action='store_true',
        help='predict every window even when slower than the source (default: skip stale '
        'windows of a live source)',
    )
    live.add_argument('--max-seconds', type=float, help='stop after this much stream time')
    parser.add_argument(
        '--all-faces',
        action='store_true',
        help='every face under its own id, window by window (--window, default 2 s); the '
        'face that speaks gets the sound',
    )
    parser.add_argument(
        '--out-dir',
        help='with --all-faces or --stream: write tracks.json, windows.csv and annotated.mp4 '
        'here; with --stream also live.jsonl (a line per window as it comes) and '
        'recording.mkv (a live source as received)',
    )
    parser.add_argument(
        '--align-eyes',
        action='store_true',
        help='turn the face crop so that the eyes lie level, for a model trained on a cache '
        'prepared with --align-eyes (one face of a file)',
    )
    parser.add_argument('--cfg-options', nargs='+', metavar='KEY=VALUE', help='config overrides')
    args = parser.parse_args(argv)
    if args.onnx and (args.config or args.checkpoint or args.cfg_options):
        parser.error('--onnx replaces CONFIG, CHECKPOINT and --cfg-options')
    if not args.onnx and not (args.config and args.checkpoint):
        parser.error('give CONFIG and CHECKPOINT, or --onnx MODEL.onnx')
    if args.align_eyes and (args.all_faces or args.stream):
        parser.error('--align-eyes aligns the one face of a file (not --all-faces or --stream)')
    if args.out_dir and not (args.all_faces or args.stream):
        parser.error('--out-dir goes with --all-faces or --stream (one face: --out-video)')
    for flag in ('option', 'audio_option'):
        for option in getattr(args, flag):
            if '=' not in option:
                parser.error(f'--{flag.replace("_", "-")} takes KEY=VALUE, got {option!r}')
    if (args.timeline or args.timeline_plot) and args.window is None and not args.stream:
        parser.error('--timeline and --timeline-plot need --window (seconds)')
    return args


def run_file(model, args) -> None:
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always', InferenceWarning)
        result = inference_av(
            model, args.video, args.modality, args.window, args.hop, align_eyes=args.align_eyes
        )
    for warning in caught:
        print(f'note: {warning.message}')
    seconds = time.perf_counter() - started
    info = result.video.info
    print(
        f'{args.video}: {info.duration:.1f} s, {info.num_frames} frames at {info.fps:g} fps, '
        f'face found in {result.video.face_detect_rate:.0%} of the checks, '
        f'inputs: {result.modality}'
    )
    print('top emotions: ' + ', '.join(f'{n} {p:.1%}' for n, p in result.clip.top(args.top_k)))
    for window in result.timeline:
        top = ', '.join(f'{n} {p:.0%}' for n, p in window.top(args.top_k))
        print(f'  {window.start:6.1f}-{window.end:6.1f} s  {top}')
    if result.timeline:
        speed = info.duration / seconds
        print(f'{len(result.timeline)} windows in {seconds:.1f} s ({speed:.1f}x real time)')
    if args.timeline:
        print(f'timeline: {write_timeline(result.timeline, args.timeline)}')
    if args.timeline_plot:
        print(f'timeline plot: {plot_timeline(result.timeline, args.timeline_plot)}')
    if args.out_video:
        print(f'annotated video: {write_annotated_video(result, args.out_video, args.top_k)}')


def run_all_faces(model, args) -> None:
    started = time.perf_counter()
    window = args.window or 2.0
    faces = inference_all_faces(model, args.video, window, args.hop)
    seconds = time.perf_counter() - started
    print(f'{args.video}: {len(faces)} face(s) tracked in {seconds:.1f} s')
    for face in faces:
        for w in face.windows:
            voice = ', the voice' if w.modality == 'audio-visual' else ''
            print(
                f'  #{face.id} {w.start:6.1f}-{w.end:6.1f} s  {w.label} {max(w.scores):.0%}  '
                f'(speaking {w.speaking:.2f}{voice})'
            )
    if args.out_dir:
        classes = as_backend(model).classes
        tracks, table = f'{args.out_dir}/tracks.json', f'{args.out_dir}/windows.csv'
        write_tracks_json(faces, tracks)
        write_windows_csv(faces, classes, table)
        video = write_all_faces_video(args.video, faces, f'{args.out_dir}/annotated.mp4')
        print(f'wrote {tracks}, {table}, {video}')


def live_source(args) -> LiveSource:
    """The source the arguments name; a number alone is a camera on Linux, as in OpenCV."""
    url, format = args.video, args.format
    if url.isdigit() and format is None and sys.platform.startswith('linux'):
        url, format = f'/dev/video{url}', 'v4l2'
    return LiveSource(
        url,
        format,
        dict(option.split('=', 1) for option in args.option),
        args.audio_source,
        args.audio_format,
        dict(option.split('=', 1) for option in args.audio_option),
    )


def run_stream(model, args) -> None:
    source = live_source(args)
    window = args.window or (2.0 if args.all_faces else 4.0)
    hop = args.hop or 1.0
    live = False if args.every_window else None
    classes = as_backend(model).classes
    jsonl, record = None, None
    if args.out_dir:
        os.makedirs(args.out_dir, exist_ok=True)
        jsonl = open(osp.join(args.out_dir, 'live.jsonl'), 'w')  # noqa: SIM115
        if not source.is_finished_file:  # kept to draw on when the run ends
            record = osp.join(args.out_dir, 'recording.mkv')
    print(f'{source}: reading sound and pictures through PyAV')
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always', InferenceWarning)
            live_run = stream_predictions(
                model, source, window, hop, args.max_seconds, args.all_faces, live, record=record
            )
            results = list(_print_live(live_run, args, jsonl, classes))
        for warning in caught:  # how the run ended
            print(f'note: {warning.message}')
    finally:
        if jsonl is not None:
            jsonl.close()
    windows = [w for _, w in results if w is not None]
    if not results:
        raise MediaError(f'{source}: the stream ended before one {window:g} s window')
    skipped = sum(result.skipped for result, _ in results)
    print(f'{len(results)} window(s) predicted, {skipped} skipped to keep up')
    if args.out_dir:
        faces = live_tracks([result for result, _ in results])
        tracks, table = f'{args.out_dir}/tracks.json', f'{args.out_dir}/windows.csv'
        write_tracks_json(faces, tracks)
        write_windows_csv(faces, classes, table)
        recorded = record if record is not None and osp.exists(record) else source.url
        video = write_all_faces_video(recorded, faces, f'{args.out_dir}/annotated.mp4')
        print(f'wrote {jsonl.name}, {tracks}, {table}, {video}')
    if args.timeline:
        print(f'timeline: {write_timeline(windows, args.timeline)}')
    if args.timeline_plot:
        print(f'timeline plot: {plot_timeline(windows, args.timeline_plot)}')


def _print_live(live_run, args, jsonl, classes):
    """Each window printed (and written) as it comes: ``(window, timeline entry or None)``."""
    for result in live_run:
        for note in result.notes:
            print(f'note: {note}')
        if jsonl is not None:
            jsonl.write(result.to_json() + '\n')
            jsonl.flush()
        faces = '  '.join(_face_text(face) for face in result.faces) or 'no face, no voice'
        late = f'{result.latency_ms:.0f} ms' + (
            f', {result.skipped} skipped before' if result.skipped else ''
        )
        print(f'  {result.start:6.1f}-{result.end:6.1f} s  {faces}  ({late})', flush=True)
        entry = None
        if result.faces and not args.all_faces:  # the timeline follows the one face
            scores = np.array(result.faces[0].prediction.scores)
            entry = Prediction(tuple(classes), scores, None, result.start, result.end)
        yield result, entry


def _face_text(face) -> str:
    """``#1 happy 62% (voice, speaking 0.71)``; the voice alone has no id."""
    p = face.prediction
    who = f'#{face.id} ' if face.id is not None else 'voice alone: '
    voice = ', voice' if p.modality == 'audio-visual' else ''
    return f'{who}{p.label} {max(p.scores):.0%} (speaking {p.speaking:.2f}{voice})'


def load_model(args):
    """The exported model (ONNX Runtime), or the config and checkpoint (PyTorch)."""
    if args.onnx:
        return OnnxRecognizer(args.onnx)
    if not avemo_mm.TRAINING:
        raise DeployError(
            f'{args.checkpoint}: a checkpoint needs PyTorch, which is not installed here; '
            'run an exported model with --onnx MODEL.onnx (docs/deployment.md)'
        )
    from mmengine.config import DictAction

    from avemo_mm.apis import init_model

    options = None
    if args.cfg_options:  # read as every mmengine tool reads them (without PyTorch,
        # --onnx takes none, so the parser itself cannot need mmengine)
        parser = argparse.ArgumentParser(prog='--cfg-options')
        parser.add_argument('options', nargs='+', action=DictAction)
        options = parser.parse_args(args.cfg_options).options
    return init_model(args.config, args.checkpoint, args.device, options)


def usage_errors() -> tuple[type[Exception], ...]:
    """The errors that mean "this input or model cannot be used": one line, exit 1."""
    errors = [MediaError, DeployError, FileNotFoundError]
    if avemo_mm.TRAINING:
        from avemo_mm.compat import CheckpointRefusedError
        from avemo_mm.engine import CheckpointMismatchError

        errors += [CheckpointRefusedError, CheckpointMismatchError]
    return tuple(errors)


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        model = load_model(args)
        run = run_stream if args.stream else run_all_faces if args.all_faces else run_file
        run(model, args)
    except usage_errors() as err:
        print(f'demo: {err}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
