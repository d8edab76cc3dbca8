"""environment.yml (conda users) and pyproject.toml (pip) must describe the same environment."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r): r for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = {_name(r): r for r in pip_section if not r.startswith("-e")}
    assert set(listed) == set(declared)
    # Same version constraints too, not only the same names.
    assert {k: v.replace(" ", "") for k, v in listed.items()} == {k: v.replace(" ", "") for k, v in declared.items()}


def test_default_install_keeps_torch_out():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {_name(r) for r in project["dependencies"]}
    assert not names & {"torch", "sentence-transformers", "bertopic", "transformers"}
    assert any(_name(r) == "sentence-transformers" for r in project["optional-dependencies"]["semantic"])
