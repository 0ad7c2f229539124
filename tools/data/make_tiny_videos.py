"""Write a tiny two-class video data set in MMAction2's ``VideoDataset`` layout.

``OUT/clip_{i}.mp4`` (H.264, 32x32, 16 frames) plus ``train.txt`` and ``val.txt``
annotation lists (``name label`` per line). Class 0 clips are dark and class 1
clips bright, so a tiny recognizer learns them in one epoch. Used by the
quickstart and the tests to run stock MMAction2 configs through avemo-mm's tools.

Example::

    python tools/data/make_tiny_videos.py data/tiny_videos --num-clips 8
"""

import argparse
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import numpy as np  # noqa: E402

from avemo_mm.utils import write_av_clip  # noqa: E402


def make_tiny_videos(out_dir: str, num_clips: int = 8, size: int = 32, seed: int = 0) -> None:
    """Write ``num_clips`` clips and the two annotation lists into ``out_dir``."""
    rng = np.random.default_rng(seed)
    lines = []
    for i in range(num_clips):
        label = i % 2
        base = 60 + 120 * label
        frames = rng.integers(base - 40, base + 40, size=(16, size, size, 3)).astype(np.uint8)
        name = f'clip_{i}.mp4'
        write_av_clip(osp.join(out_dir, name), frames, fps=25)
        lines.append(f'{name} {label}')
    with open(osp.join(out_dir, 'train.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    with open(osp.join(out_dir, 'val.txt'), 'w') as f:
        f.write('\n'.join(lines[: max(2, num_clips // 2)]) + '\n')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out_dir', help='folder to write the clips and lists into')
    parser.add_argument('--num-clips', type=int, default=8, help='number of clips (even)')
    parser.add_argument('--size', type=int, default=32, help='frame width and height (even)')
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    make_tiny_videos(args.out_dir, args.num_clips, args.size, args.seed)
    print(f'wrote {args.num_clips} clips and train.txt/val.txt to {args.out_dir}')


if __name__ == '__main__':
    main()
