"""Deferred third-party imports: a stand-in in sys.modules until a name of the module is used."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from feedback_analysis.deferred import DeferredModule, defer_module


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A package ``slowpkg`` on sys.path whose import is counted, with a submodule and a function."""
    root = tmp_path / "slowpkg"
    root.mkdir()
    (root / "__init__.py").write_text(textwrap.dedent("""
        import builtins
        builtins.slowpkg_imports = getattr(builtins, "slowpkg_imports", 0) + 1
        from .part import double
        def triple(value):
            return 3 * value
    """), encoding="utf-8")
    (root / "part.py").write_text("def double(value):\n    return 2 * value\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "slowpkg"
    for name in [name for name in sys.modules if name == "slowpkg" or name.startswith("slowpkg.")]:
        del sys.modules[name]
    import builtins

    if hasattr(builtins, "slowpkg_imports"):
        del builtins.slowpkg_imports


def _imports() -> int:
    import builtins

    return getattr(builtins, "slowpkg_imports", 0)


def test_a_deferred_module_is_imported_when_a_name_is_used(package):
    assert defer_module(package)
    import slowpkg

    assert isinstance(slowpkg, DeferredModule) and _imports() == 0
    assert slowpkg.triple(2) == 6
    assert _imports() == 1 and not isinstance(sys.modules[package], DeferredModule)
    assert slowpkg.double(4) == 8 and _imports() == 1  # imported once


def test_a_forwarded_function_taken_at_import_imports_the_module_when_called(package):
    assert defer_module(package, ("triple",))
    from slowpkg import triple

    assert _imports() == 0
    assert triple(5) == 15 and _imports() == 1


def test_a_deferred_package_keeps_its_submodules_importable(package):
    assert defer_module(package)
    from slowpkg.part import double

    assert double(3) == 6 and _imports() == 0


def test_a_module_already_imported_or_not_installed_is_left_alone(package):
    import slowpkg

    assert not defer_module(package) and sys.modules[package] is slowpkg
    assert not defer_module("no_such_package_here")
    assert "no_such_package_here" not in sys.modules


def test_a_failed_import_raises_and_leaves_the_stand_in(package, tmp_path):
    (tmp_path / "slowpkg" / "__init__.py").write_text("raise ImportError('broken on purpose')\n", encoding="utf-8")
    assert defer_module(package)
    stand_in = sys.modules[package]
    with pytest.raises(ImportError, match="broken on purpose"):
        stand_in.triple  # noqa: B018 - the attribute access is the import
    assert sys.modules[package] is stand_in


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_bertopic_is_imported_without_its_charts_and_still_draws_them():
    pytest.importorskip("bertopic")
    pytest.importorskip("plotly")
    out = _run("""
        import sys
        import feedback_analysis
        from bertopic import BERTopic
        print(sorted(name for name in ("umap", "plotly", "numba", "pynndescent") if name in sys.modules))
        from bertopic import _bertopic
        print(_bertopic.plotting.visualize_barchart.__module__, type(sys.modules["bertopic.plotting"]).__name__)
    """)
    assert out.splitlines() == ["[]", "bertopic.plotting._barchart module"]


def test_jsonschema_checks_iris_as_before_with_the_grammar_deferred():
    pytest.importorskip("rfc3987_syntax")
    pytest.importorskip("papermill")
    check = """
        import sys
        {first}
        import papermill
        deferred = type(sys.modules["rfc3987_syntax"]).__name__
        from jsonschema import FormatChecker
        checker = FormatChecker()
        print(deferred, [checker.conforms(value, "iri") for value in ("https://gemeente.be/straat/ü?q=1", "geen iri", "")])
    """
    deferred = _run(check.format(first="import feedback_analysis"))
    eager = _run(check.format(first="import rfc3987_syntax"))
    assert deferred.startswith("DeferredModule ") and eager.startswith("module ")
    assert deferred.split(" ", 1)[1] == eager.split(" ", 1)[1]
