"""Every shell block of the README and the docs: valid shell, and every call of a project
tool parses with that tool's own argument parser; every config it names exists; every
relative link and anchor resolves."""

import glob
import os.path as osp
import re
import shlex
import subprocess
import sys

import pytest
from conftest import REPO_ROOT

sys.path.insert(0, osp.join(REPO_ROOT, 'docs', '_ext'))
from tool_options import capture_parser  # noqa: E402  (the docs' own helper)

PAGES = sorted(
    osp.relpath(p, REPO_ROOT)
    for p in [
        f'{REPO_ROOT}/README.md',
        *glob.glob(f'{REPO_ROOT}/docs/**/*.md', recursive=True),
        *glob.glob(f'{REPO_ROOT}/configs/**/README.md', recursive=True),
        *glob.glob(f'{REPO_ROOT}/tools/data/*/README.md'),
    ]
    if '/_generated/' not in p and '/_build/' not in p
)
# launcher -> (the Python tool it runs, how many of its own arguments come before the
# tool's, which of those the tool gets too)
LAUNCHERS = {
    'tools/dist_train.sh': ('tools/train.py', 2, [0]),
    'tools/dist_test.sh': ('tools/test.py', 3, [0, 1]),
    'tools/slurm_train.sh': ('tools/train.py', 3, [2]),
    'tools/slurm_test.sh': ('tools/test.py', 4, [2, 3]),
}


def shell_blocks(page: str) -> list[str]:
    text = open(osp.join(REPO_ROOT, page)).read()
    return re.findall(r'```(?:bash|sh|shell)\n(.*?)```', text, flags=re.S)


def tool_calls(block: str) -> list[tuple[str, list[str]]]:
    """``(tool, args)`` for every project tool a block calls, shell variables set in the
    block expanded, launchers resolved to the Python tool they run."""
    text = block.replace('\\\n', ' ')
    variables: dict[str, str] = {}
    calls = []
    for line in text.splitlines():
        for command in re.split(r'&&|\|\||;|\|', line):
            try:
                words = shlex.split(command, comments=True)
            except ValueError:  # an unbalanced quote across the split: the whole line
                words = shlex.split(line, comments=True)
            while words and re.fullmatch(r'[A-Za-z_]\w*=.*', words[0]):
                name, _, value = words.pop(0).partition('=')
                variables[name] = value
            words = [w for word in words for w in _expand(word, variables)]
            calls += _calls_in(words)
    return calls


def _expand(word: str, variables: dict[str, str]) -> list[str]:
    """``$name`` alone becomes the words of its value; inside a word, its text."""
    match = re.fullmatch(r'\$\{?(\w+)\}?', word)
    if match and match.group(1) in variables:
        return shlex.split(variables[match.group(1)])
    return [re.sub(r'\$\{?(\w+)\}?', lambda m: variables.get(m[1], m[0]), word)]


def _calls_in(words: list[str]) -> list[tuple[str, list[str]]]:
    for i, word in enumerate(words):
        if word.endswith(('python', 'python3')) and i + 1 < len(words):
            rest = words[i + 1 :]
            if rest[0] == '-m' and rest[1].startswith('avemo_mm'):
                return [(rest[1], rest[2:])]
            if rest[0].startswith('tools/') and rest[0].endswith('.py'):
                return [(rest[0], rest[1:])]
        launcher = word.removeprefix('./')
        if launcher in LAUNCHERS:
            tool, own, passed = LAUNCHERS[launcher]
            args = words[i + 1 :]
            return [(tool, [args[k] for k in passed] + args[own:])]
    return []


ALL_CALLS = [
    pytest.param(tool, args, id=f'{page}:{tool}:{n}')
    for page in PAGES
    for n, (tool, args) in enumerate(c for b in shell_blocks(page) for c in tool_calls(b))
]


@pytest.mark.parametrize('page', PAGES)
def test_every_shell_block_is_valid_shell(page):
    for block in shell_blocks(page):
        proc = subprocess.run(['bash', '-n'], input=block, text=True, capture_output=True)
        assert proc.returncode == 0, f'{page}: {proc.stderr}\n{block}'


@pytest.mark.parametrize(('tool', 'args'), ALL_CALLS)
def test_every_tool_call_parses_and_its_configs_exist(tool, args, capsys):
    assert tool.startswith('avemo_mm') or osp.isfile(osp.join(REPO_ROOT, tool)), tool
    parser = capture_parser(tool)
    try:
        parser.parse_args(args)
    except SystemExit as err:  # argparse's refusal
        pytest.fail(f'{tool} {shlex.join(args)}: {capsys.readouterr().err.strip()} ({err})')
    for word in args:
        path = word.rpartition('=')[2]  # a config named in KEY=VALUE too
        if re.fullmatch(r'[\w.-]+(/[\w.-]+)+\.py', path):
            assert osp.isfile(osp.join(REPO_ROOT, path)), f'{tool}: {path} does not exist'


@pytest.mark.parametrize(('tool', 'args'), ALL_CALLS)
def test_every_pipeline_step_an_option_changes_takes_that_argument(tool, args):
    """``...pipeline.N.KEY=VALUE``: step N of the config's pipeline takes ``KEY`` (mmengine
    would add an unknown key without a word, and a moved step would silently change)."""
    import inspect

    from mmaction.registry import TRANSFORMS
    from mmengine.config import Config

    options = [a for a in args if re.match(r'\w+_dataloader\.dataset\.pipeline\.\d+\.\w+=', a)]
    configs = [a for a in args if re.fullmatch(r'[\w.-]+(/[\w.-]+)+\.py', a)]
    if not options or not configs:
        return
    cfg = Config.fromfile(osp.join(REPO_ROOT, configs[0]))
    for option in options:
        loader, index, key = re.match(r'(\w+)\.dataset\.pipeline\.(\d+)\.(\w+)=', option).groups()
        step = cfg[loader]['dataset']['pipeline'][int(index)]
        accepted = inspect.signature(TRANSFORMS.get(step['type'])).parameters
        assert key in accepted, f'{configs[0]}: {option}: step {index} is {step["type"]}'


def _anchors(page: str) -> set[str]:
    """GitHub's heading anchors of a markdown page."""
    headings = re.findall(r'^#+ (.+)$', open(osp.join(REPO_ROOT, page)).read(), flags=re.M)
    return {re.sub(r'[^\w\- ]', '', h.strip().lower()).replace(' ', '-') for h in headings}


@pytest.mark.parametrize('page', PAGES)
def test_every_relative_link_and_anchor_resolves(page):
    text = open(osp.join(REPO_ROOT, page)).read()
    text = re.sub(r'```.*?```', '', text, flags=re.S)
    for target in re.findall(r'\]\(([^)\s]+)\)', text):
        if re.match(r'[a-z]+://|mailto:', target):
            continue
        path, _, anchor = target.partition('#')
        linked = osp.normpath(osp.join(osp.dirname(page), path)) if path else page
        # a corpus page of the site is its README, written there at build time
        corpus_page = re.fullmatch(r'docs/_generated/datasets/(\w+)\.md', linked)
        if corpus_page:
            linked = f'tools/data/{corpus_page[1]}/README.md'
        assert osp.exists(osp.join(REPO_ROOT, linked)), f'{page}: {target}'
        if anchor and linked.endswith('.md'):
            assert anchor in _anchors(linked), f'{page}: no heading for #{anchor} in {linked}'


def test_the_documentation_names_no_issue_and_no_path_outside_the_repository():
    """A user cannot follow "issue 13" or "../shared/...": the facts are written here."""
    for page in [*PAGES, 'pyproject.toml', 'CITATION.cff']:
        text = open(osp.join(REPO_ROOT, page)).read()
        assert not re.search(r'\bissues? #?\d+', text, flags=re.I), page
        assert '../shared' not in text and '/work/' not in text, page


def test_the_pipeline_listing_of_the_data_guide_is_the_paper_configs():
    """docs/user_guides/data.md shows the paper configs' training pipeline: step for step."""
    import json

    from mmengine.config import Config

    page = open(f'{REPO_ROOT}/docs/user_guides/data.md').read()
    listing = page.split('## The audio-visual pipeline')[1].split('```python')[1].split('```')[0]
    shown = {}
    exec(listing, {}, shown)  # noqa: S102  (our own page)
    cfg = Config.fromfile(f'{REPO_ROOT}/configs/avemo_ravdess.py')
    shipped = cfg.train_dataloader.dataset.pipeline
    assert json.loads(json.dumps(shown['train_pipeline'])) == json.loads(json.dumps(shipped))
