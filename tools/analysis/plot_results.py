"""The paper's pictures from a checkpoint and its config, in one command.

Runs the config's test split through the model and writes, as PNG files:

- ``confusion_matrix.png``: row-normalised, with counts (the paper's Fig. 5);
- ``tsne_classes.png`` and ``tsne_polarity.png``: t-SNE of the test embeddings,
  coloured by class and by the class's polarity (Fig. 6-7);
- ``attention_spatial.png``: each spatial (VS) head over the face frames of one test
  clip (Fig. 8-9), when the model has the visual branch with VS;
- ``attention_temporal.png``: the temporal attention between snippets, video (VT)
  and audio (AT) (Fig. 10-11);

and ``metrics.json`` (WAR, UAR, per-class accuracy, the confusion matrix).

Example::

    python tools/analysis/plot_results.py configs/avemo_tiny_ravdess.py \\
        work_dirs/avemo_tiny_ravdess/best_WAR_epoch_8.pth --out-dir work_dirs/pictures \\
        --cfg-options fold=1
"""

import argparse
import json
import math
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.config import DictAction  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

import avemo_mm  # noqa: E402,F401
from avemo_mm.apis import init_model  # noqa: E402
from avemo_mm.evaluation import emotion_metrics, fusion_statistics  # noqa: E402
from avemo_mm.visualization import (  # noqa: E402
    plot_confusion_matrix,
    plot_spatial_attention,
    plot_temporal_attention,
    plot_tsne,
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Pictures of a trained model on its test split.')
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--out-dir', required=True, help='folder for the PNG files')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--attention-clip', type=int, default=0, help='test clip to draw')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, help='config overrides')
    return parser.parse_args(argv)


def collect(model, loader, attention_clip: int) -> dict:
    """Labels, predictions and embeddings of every test clip; attention of one."""
    labels, preds, embeddings, attention, frames, times = [], [], [], None, None, None
    fusion = []  # per batch, what the cross-modal attention did (fusion_statistics)
    with torch.no_grad():
        for batch in loader:
            first = len(labels)
            data = model.data_preprocessor(batch, False)
            inputs = model.select_test_inputs(data['inputs'])
            audio, video, weights = model.extract_feat(inputs, return_attention=True)
            out = model.cls_head(audio, video)
            labels += [int(s.gt_label) for s in data['data_samples']]
            preds += out['logits'].argmax(dim=1).tolist()
            embeddings.append(out['embedding'].float().cpu().numpy())
            if 'w_audio' in out:
                fusion.append(fusion_statistics(out, audio, video))
            index = attention_clip - first
            if attention is None and 0 <= index < len(data['data_samples']):
                attention, frames, times = _one_clip(batch, weights, index)
    return dict(
        labels=labels,
        preds=preds,
        embeddings=np.concatenate(embeddings),
        attention=attention,
        frames=frames,
        times=times,
        fusion={k: float(np.mean([f[k] for f in fusion])) for k in fusion[0]} if fusion else None,
    )


def _one_clip(batch: dict, weights: dict, index: int):
    """Clip ``index``'s attention weights, snippet centre frames and snippet times."""
    snippets = None
    picked = {}
    for key, value in weights.items():
        if key == 'video_spatial' or key == 'video_channel':
            continue
        picked[key] = value[index].float().cpu().numpy()  # [H, N, N]
        snippets = value.shape[-1]
    frames = None
    imgs = batch['inputs'].get('imgs') if isinstance(batch['inputs'], dict) else None
    if 'video_spatial' in weights and imgs is not None:
        clip = imgs[index]  # [N, 3, k, Y, X], pixels as the pipeline left them
        snippets = clip.shape[0]
        spatial = weights['video_spatial'].reshape(
            -1, snippets, *weights['video_spatial'].shape[1:]
        )
        picked['video_spatial'] = spatial[index].float().cpu().numpy()  # [N, H, s, s]
        centre = clip[:, :, clip.shape[2] // 2].permute(0, 2, 3, 1)  # [N, Y, X, 3]
        frames = centre.float().clamp(0, 255).to(torch.uint8).cpu().numpy()
    times = batch['data_samples'][index].metainfo.get('snippet_times')
    return picked, frames, times


def main(argv=None) -> int:
    args = parse_args(argv)
    model = init_model(args.config, args.checkpoint, args.device, args.cfg_options)
    cfg = model.cfg
    test_loader = dict(cfg.test_dataloader)
    loader = Runner.build_dataloader(test_loader)
    meta = loader.dataset.metainfo
    classes = tuple(meta['classes'])
    print(f'running {len(loader.dataset)} test clips through the model ...', flush=True)
    found = collect(model, loader, args.attention_clip)
    os.makedirs(args.out_dir, exist_ok=True)
    out = lambda name: osp.join(args.out_dir, name)  # noqa: E731

    metrics = emotion_metrics(found['labels'], found['preds'], classes)
    if found['fusion'] is not None:
        metrics['fusion'] = found['fusion']
        print('fusion: ' + ', '.join(f'{k} {v:.3f}' for k, v in found['fusion'].items()))
    matrix = metrics['confusion_matrix']
    with open(out('metrics.json'), 'w') as fh:
        json.dump(metrics, fh, indent=1)
    written = [out('metrics.json')]
    title = f'{osp.basename(args.config)}, {len(found["labels"])} test clips'
    written.append(plot_confusion_matrix(matrix, classes, out('confusion_matrix.png'), title))
    if len(found['labels']) >= 3:
        written += plot_tsne(
            found['embeddings'], found['labels'], classes, meta.get('polarities'), out('tsne')
        )
    attention = found['attention'] or {}
    if 'video_spatial' in attention:
        spatial = attention['video_spatial']
        side = math.isqrt(spatial.shape[-1])
        grid = (side, side) if side * side == spatial.shape[-1] else (1, spatial.shape[-1])
        written.append(
            plot_spatial_attention(found['frames'], spatial, grid, out('attention_spatial.png'))
        )
    temporal = {
        branch: attention[f'{branch}_temporal']
        for branch in ('video', 'audio')
        if f'{branch}_temporal' in attention
    }
    if temporal:
        written.append(
            plot_temporal_attention(temporal, found['times'], out('attention_temporal.png'))
        )
    print(f'WAR {metrics["WAR"]:.1%}  UAR {metrics["UAR"]:.1%}')
    for path in written:
        print(f'wrote {path}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
