"""How each fold of cross-validation runs learnt: validation WAR and training fit by
epoch, and the gates.

For every finished fold of each ``tools/cross_validate.py`` work dir: the validation
WAR of each epoch and the training batches' mean classification loss and top-1
accuracy (from mmengine's ``vis_data/scalars.json``: whether a run that does not
generalise fits its training clips at all), the first epoch whose
WAR passes ``--threshold``, and, from the checkpoint the fold was tested with, the
cross-modal gates (g_A, g_V) and the Frobenius norm of W of a
``CrossAttentionFusionHead`` (``None`` where the head has none). On the synthetic
corpora a fused model passes the voice's 50% ceiling only once it has found the face,
so ``--threshold 0.6`` says when that happened. Prints one line per fold; ``--out``
also writes everything as JSON (work dir name -> its folds).

Example::

    python tools/analysis/training_curves.py work_dirs/heads/ep_default \\
        work_dirs/heads/ep_paper_head --threshold 0.6 --out curves.json
"""

import argparse
import glob
import json
import os.path as osp


def _scalar_lines(fold_dir: str):
    """mmengine's logged scalars of one fold's training, oldest log first."""
    for path in sorted(glob.glob(osp.join(fold_dir, '*', 'vis_data', 'scalars.json'))):
        with open(path) as fh:
            yield from (json.loads(line) for line in fh)


def validation_war(fold_dir: str) -> list[float]:
    """The validation WAR of epochs 1, 2, ... of one fold's training. A resumed run
    logs into a new timestamped folder; a later log's figure for an epoch wins."""
    by_epoch = {}
    for scalars in _scalar_lines(fold_dir):
        if 'WAR' in scalars:  # validation lines carry the metric, 'step' the epoch
            by_epoch[int(scalars['step'])] = scalars['WAR']
    return [by_epoch[e] for e in sorted(by_epoch)]


def training_fit(fold_dir: str) -> dict[str, list[float]]:
    """Per epoch 1, 2, ...: the mean over its logged training lines of the
    classification loss (``train_loss_cls``; ln 8 = 2.08 is chance on 8 classes) and of
    the training batches' top-1 accuracy (``train_top1``). A later log's lines for an
    epoch replace an earlier one's."""
    by_epoch = {}
    for scalars in _scalar_lines(fold_dir):
        if 'loss_cls' in scalars and 'epoch' in scalars:
            lines = by_epoch.setdefault(int(scalars['epoch']), {})
            lines[int(scalars['iter'])] = (scalars['loss_cls'], scalars.get('top1_acc'))
    fit = {'train_loss_cls': [], 'train_top1': []}
    for epoch in sorted(by_epoch):
        losses, accs = zip(*by_epoch[epoch].values(), strict=True)
        fit['train_loss_cls'].append(sum(losses) / len(losses))
        accs = [a for a in accs if a is not None]
        fit['train_top1'].append(sum(accs) / len(accs) if accs else None)
    return fit


def head_state(checkpoint: str) -> tuple[list[float] | None, float | None]:
    """``(gates, |W|)`` of the fusion head saved in ``checkpoint``."""
    import torch

    state = torch.load(checkpoint, map_location='cpu', weights_only=False)['state_dict']
    gates = state.get('cls_head.cross_gate')
    weight = state.get('cls_head.correlation.weight')
    return (
        None if gates is None else gates.tolist(),
        None if weight is None else weight.norm().item(),
    )


def fold_curves(work_dir: str, threshold: float) -> list[dict]:
    folds = []
    for metrics_path in sorted(glob.glob(osp.join(work_dir, 'fold_*', 'test_metrics.json'))):
        fold_dir = osp.dirname(metrics_path)
        with open(metrics_path) as fh:
            metrics = json.load(fh)
        checkpoint = metrics['checkpoint']
        if not osp.isfile(checkpoint):  # a work dir copied elsewhere: its own copy
            checkpoint = osp.join(fold_dir, osp.basename(checkpoint))
        war = validation_war(fold_dir)
        passed = next((e for e, w in enumerate(war, 1) if w > threshold), None)
        gates, w_norm = head_state(checkpoint)
        folds.append(
            dict(
                fold=metrics['fold'],
                val_war=war,
                passed_at=passed,
                gates=gates,
                w_norm=w_norm,
                checkpoint=checkpoint,
                **training_fit(fold_dir),
            )
        )
    return folds


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('work_dirs', nargs='+', metavar='WORK_DIR')
    parser.add_argument(
        '--threshold',
        type=float,
        default=0.6,
        help='report the first epoch whose validation WAR passes this (default 0.6)',
    )
    parser.add_argument('--out', help='also write the figures to this JSON file')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    runs = {}
    for work_dir in args.work_dirs:
        name = osp.basename(osp.normpath(work_dir))
        if name in runs:
            raise SystemExit(f'{work_dir}: a second work dir named {name!r}')
        runs[name] = fold_curves(work_dir, args.threshold)
        if not runs[name]:
            raise SystemExit(f'{work_dir}: no finished fold (fold_K/test_metrics.json)')
        for f in runs[name]:
            gates = 'none' if f['gates'] is None else ', '.join(f'{g:+.4f}' for g in f['gates'])
            norm = 'none' if f['w_norm'] is None else f'{f["w_norm"]:.3f}'
            fit = f['train_top1'][-1] if f['train_top1'] else None
            print(
                f'{name} fold {f["fold"]}: validation WAR passed {args.threshold:.0%} at '
                f'epoch {f["passed_at"]} (best {max(f["val_war"], default=0):.1%}); '
                f'training batches at the last epoch '
                f'{"-" if fit is None else f"{fit:.1%}"}; gates (g_A, g_V) {gates}; |W| {norm}'
            )
    if args.out:
        with open(args.out, 'w') as fh:
            json.dump(runs, fh, indent=1)


if __name__ == '__main__':
    main()
