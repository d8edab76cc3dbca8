"""The packaged resources: the fast YAML loader reads them exactly as the pure-Python one does."""

from importlib import resources

import pytest
import yaml

from feedback_analysis.packaged import load_packaged_yaml, load_yaml, resource_path_text

PACKAGED_YAML = sorted(path.name for path in resources.files("feedback_analysis").joinpath("resources").iterdir()
                       if path.name.endswith(".yaml"))


@pytest.mark.parametrize("name", PACKAGED_YAML)
def test_fast_loader_reads_each_packaged_file_as_the_safe_loader_does(name):
    text = resource_path_text(name)
    assert load_packaged_yaml(text) == yaml.safe_load(text)


def test_fast_loader_keeps_yaml_types():
    data = load_packaged_yaml("a: 1\nb: [ja, 'nee', 0.5, null, true]\nc: {d: 2026-10-01}\n")
    assert data == yaml.safe_load("a: 1\nb: [ja, 'nee', 0.5, null, true]\nc: {d: 2026-10-01}\n")


def test_a_bad_override_is_named_with_the_safe_loaders_message(tmp_path):
    bad = tmp_path / "words.yaml"
    bad.write_text("insults: [a, b\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"words\.yaml: not valid YAML"):
        load_yaml("abuse_nl.yaml", bad)
