"""The model zoo lists every paper config, each listed config exists, and its tables
are the metafile's figures (``tools/analysis/model_zoo.py`` writes both)."""

import re
import sys

import yaml
from conftest import REPO_ROOT
from mmengine.config import Config

from avemo_mm.evaluation.paper_results import PAPER_ACCURACY, paper_variant

sys.path.insert(0, f'{REPO_ROOT}/tools/analysis')
from model_zoo import NOT_MEASURED, zoo_configs  # noqa: E402


def _models() -> list[dict]:
    with open(f'{REPO_ROOT}/configs/avemo/metafile.yml') as fh:
        return yaml.safe_load(fh)['Models']


def test_every_paper_config_is_listed_and_every_listed_config_exists():
    listed = [m['Config'] for m in _models()]
    assert sorted(listed) == sorted(zoo_configs()) and len(listed) == len(set(listed))
    with open(f'{REPO_ROOT}/model-index.yml') as fh:
        assert yaml.safe_load(fh) == {'Import': ['configs/avemo/metafile.yml']}


def test_each_entry_names_the_papers_row_and_figure():
    for model in _models():
        variant, corpus = paper_variant(Config.fromfile(f'{REPO_ROOT}/{model["Config"]}'))
        assert (model['Metadata']['Variant'], model['Metadata']['Training Data']) == (
            variant, corpus,
        ), model['Name']  # fmt: skip
        metrics = model['Results'][0]['Metrics']
        assert metrics['Top 1 Accuracy (paper)'] == PAPER_ACCURACY[variant][corpus]
        assert metrics['Top 1 Accuracy (this project)'] == NOT_MEASURED


def test_the_readme_tables_are_the_metafiles():
    text = open(f'{REPO_ROOT}/configs/avemo/README.md').read()
    rows = {
        cells[0].strip('` '): [c.strip() for c in cells[1:]]
        for line in text.splitlines()
        if line.startswith('| `')
        for cells in [line.strip('|').split('|')]
    }
    assert len(rows) == len(_models())
    for model in _models():
        meta = model['Metadata']
        assert rows[model['Config']] == [
            meta['Variant'],
            str(model['Results'][0]['Metrics']['Top 1 Accuracy (paper)']),
            NOT_MEASURED,
            meta['Parameters'].removesuffix('M'),
            re.sub(r'G$', '', str(meta['FLOPs'])),
        ], model['Config']


def test_the_listed_parameters_are_the_built_models():
    """The paper config's figure, measured again (the FLOPs take a forward at 224 px: the
    tool's run, not the suite's)."""
    from mmaction.registry import MODELS
    from mmengine.registry import init_default_scope

    init_default_scope('mmaction')
    checked = ('avemo_ravdess', 'avemo_r3d101-r18_1xb16-6x16x1-es20_ravdess-av-literal')
    for model in _models():
        if model['Name'] in checked:
            built = MODELS.build(Config.fromfile(f'{REPO_ROOT}/{model["Config"]}').model)
            params = sum(p.numel() for p in built.parameters()) / 1e6
            assert f'{round(params, 2)}M' == model['Metadata']['Parameters']
