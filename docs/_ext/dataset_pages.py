"""The README of each corpus (``tools/data/<corpus>/README.md``, where users of the
ecosystem look for it) as a page of the site, written at build time, never copied by
hand: ``_generated/datasets/<corpus>.md``.

The READMEs link to the docs as the repository lays them out (``../../../docs/X.md``);
on the site that page is ``../../X.md`` from the generated one.
"""

from __future__ import annotations

import glob
import os
import os.path as osp

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def dataset_readmes() -> list[str]:
    """``tools/data/<corpus>/README.md`` of every corpus, sorted."""
    return sorted(glob.glob(osp.join(REPO_ROOT, 'tools', 'data', '*', 'README.md')))


def write_dataset_pages(out_dir: str) -> None:
    """Write each corpus README into ``out_dir`` as ``<corpus>.md``."""
    os.makedirs(out_dir, exist_ok=True)
    for readme in dataset_readmes():
        name = osp.basename(osp.dirname(readme))
        with open(readme) as fh:
            text = fh.read().replace('](../../../docs/', '](../../')
        with open(osp.join(out_dir, f'{name}.md'), 'w') as fh:
            fh.write(text)


def setup(app):
    """Sphinx extension: write the corpus pages before reading the docs."""
    app.connect(
        'builder-inited',
        lambda app: write_dataset_pages(osp.join(app.srcdir, '_generated', 'datasets')),
    )
    return dict(parallel_read_safe=True)
