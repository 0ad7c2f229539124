"""The model zoo: every paper config with the paper's figure, parameters and FLOPs, written
as OpenMMLab's ``configs/avemo/metafile.yml`` and the tables of ``configs/avemo/README.md``.

The parameters and multiply-accumulates per sample are measured on the built models
(as ``get_flops.py``); the paper's figures come from ``avemo_mm.evaluation.paper_results``.
No figure of this project on the real corpora exists yet: each row says so.

Example::

    python tools/analysis/model_zoo.py   # rewrites the metafile and the README's tables
"""

import argparse
import glob
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import torch  # noqa: E402
from mmaction.registry import MODELS  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

import avemo_mm  # noqa: E402,F401
from avemo_mm.evaluation.paper_results import PAPER_ACCURACY, paper_variant  # noqa: E402
from avemo_mm.utils.complexity import count_flops, input_shapes  # noqa: E402

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
NOT_MEASURED = 'not yet measured on real data'
TABLE_BEGIN, TABLE_END = '<!-- model-zoo tables: begin -->', '<!-- model-zoo tables: end -->'


def zoo_configs() -> list[str]:
    """The paper's configs: the two short names and every config under configs/avemo/."""
    paths = ['configs/avemo_ravdess.py', 'configs/avemo_cremad.py']
    paths += sorted(
        osp.relpath(p, REPO_ROOT) for p in glob.glob(f'{REPO_ROOT}/configs/avemo/*.py')
    )
    return paths


def measure(config: str) -> dict:
    cfg = Config.fromfile(osp.join(REPO_ROOT, config))
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    model = MODELS.build(cfg.model).eval()
    shapes = input_shapes(cfg)
    with torch.no_grad():
        flops, params = count_flops(model, {k: torch.zeros(1, *s) for k, s in shapes.items()})
    variant, corpus = paper_variant(cfg)
    return dict(
        config=config,
        variant=variant,
        corpus=corpus,
        paper=PAPER_ACCURACY.get(variant, {}).get(corpus),
        params_m=round(params / 1e6, 2),
        gmacs=round(flops / 1e9, 1),
    )


def metafile(rows: list[dict]) -> str:
    """OpenMMLab's metafile format (one Collection, a Model per config)."""
    lines = [
        'Collections:',
        '  - Name: avemo',
        '    README: configs/avemo/README.md',
        '    Paper:',
        '      Title: Multimodal emotion recognition using cross modal audio-video fusion '
        'with attention and deep metric learning',
        '      URL: https://doi.org/10.1016/j.imavis.2023.104676',
        '',
        'Models:',
    ]
    for r in rows:
        name = osp.splitext(osp.basename(r['config']))[0]
        lines += [
            f'  - Name: {name}',
            f'    Config: {r["config"]}',
            '    In Collection: avemo',
            '    Metadata:',
            f'      Parameters: {r["params_m"]}M',
            f'      FLOPs: {r["gmacs"]}G  # multiply-accumulates per sample',
            f'      Variant: {r["variant"]}',
            f'      Training Data: {r["corpus"]}',
            '    Results:',
            f'      - Dataset: {r["corpus"]}',
            '        Task: Emotion Recognition',
            '        Metrics:',
            f'          Top 1 Accuracy (paper): {r["paper"]}',
            f'          Top 1 Accuracy (this project): {NOT_MEASURED}',
            '    Weights: null  # none published: train one (docs/user_guides/train_test.md)',
        ]
    return '\n'.join(lines) + '\n'


def tables(rows: list[dict]) -> str:
    """One markdown table per corpus."""
    parts = [TABLE_BEGIN]
    for corpus in ('RAVDESS', 'CREMA-D'):
        parts += [
            '',
            f'### {corpus}',
            '',
            '| config | variant | paper (%) | this project | parameters (M) | GMACs |',
            '| --- | --- | --- | --- | --- | --- |',
        ]
        for r in (r for r in rows if r['corpus'] == corpus):
            parts.append(
                f'| `{r["config"]}` | {r["variant"]} | {r["paper"]} | {NOT_MEASURED} | '
                f'{r["params_m"]} | {r["gmacs"]} |'
            )
    return '\n'.join([*parts, '', TABLE_END])


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--metafile', default='configs/avemo/metafile.yml')
    parser.add_argument('--readme', default='configs/avemo/README.md')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    rows = []
    for config in zoo_configs():
        rows.append(measure(config))
        print(rows[-1], flush=True)
    with open(osp.join(REPO_ROOT, args.metafile), 'w') as fh:
        fh.write(metafile(rows))
    readme = osp.join(REPO_ROOT, args.readme)
    text = open(readme).read()
    before, _, rest = text.partition(TABLE_BEGIN)
    _, _, after = rest.partition(TABLE_END)
    with open(readme, 'w') as fh:
        fh.write(before + tables(rows) + after)
    print(f'wrote {args.metafile} and the tables of {args.readme}')


if __name__ == '__main__':
    main()
