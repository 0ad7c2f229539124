"""The licence and the citation file agree with the package's metadata."""

import tomllib
import yaml
from conftest import REPO_ROOT


def test_license_and_citation_match_pyproject():
    with open(f'{REPO_ROOT}/pyproject.toml', 'rb') as fh:
        project = tomllib.load(fh)['project']
    assert project['license'] == {'text': 'Apache-2.0'}
    license_text = open(f'{REPO_ROOT}/LICENSE').read()
    assert 'Apache License' in license_text and 'Version 2.0, January 2004' in license_text
    with open(f'{REPO_ROOT}/CITATION.cff') as fh:
        citation = yaml.safe_load(fh)
    assert citation['license'] == 'Apache-2.0' and citation['version'] == project['version']
    assert citation['preferred-citation']['doi'] == '10.1016/j.imavis.2023.104676'
