"""Third-party modules that are imported on their first use instead of at their package's import.

BERTopic imports its plotting module when it is imported itself, and with it plotly (and through
plotly ipywidgets, nbformat and jsonschema), UMAP and pynndescent (numba: compiled functions loaded at
import). Fitting, matching and reading topics never draw a BERTopic chart, yet every fresh process that
models topics (a fleet worker's first task, ``enrich``/``report`` in the CLI) paid seconds of CPU for it.
:func:`defer_bertopic_plotting` puts a stand-in under ``bertopic.plotting`` that imports the real module
the first time one of its names is used (``topic_model.visualize_topics()`` in a notebook works as
before, it only pays for the import then).

jsonschema (which papermill's nbformat imports to validate notebooks) imports ``rfc3987_syntax`` for its
IRI format check, which builds a grammar at import (a second of CPU); notebooks never use that format.
:func:`defer_iri_syntax` puts a stand-in there whose ``is_valid_syntax`` imports the real one when called.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
import types

BERTOPIC_PLOTTING = "bertopic.plotting"
IRI_SYNTAX = "rfc3987_syntax"
IRI_FUNCTIONS = ("is_valid_syntax",)


class DeferredModule(types.ModuleType):
    """A stand-in for the module ``name`` in ``sys.modules``: the first attribute asked of it imports the
    real module (which then replaces the stand-in in ``sys.modules``) and every attribute comes from there."""

    def __getattr__(self, attr: str):
        if attr.startswith("__") and attr.endswith("__"):
            # The import system asks for __spec__, __path__ ... of modules in sys.modules; those must not
            # trigger the import (a package's stand-in has its real __path__, for its submodules).
            raise AttributeError(attr)
        return getattr(self._load(), attr)

    def __dir__(self):
        return dir(self._load())

    def _load(self) -> types.ModuleType:
        real = self.__dict__.get("_deferred_module")
        if real is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            try:
                real = importlib.import_module(self.__name__)
            except BaseException:
                sys.modules.setdefault(self.__name__, self)
                raise
            self.__dict__["_deferred_module"] = real
        return real


def _forward(module: DeferredModule, function: str):
    def call(*args, **kwargs):
        return getattr(module._load(), function)(*args, **kwargs)

    call.__name__ = call.__qualname__ = function
    return call


def _find_spec(name: str):
    """``name``'s import spec without importing it or its package (a top-level package or one level
    below it); None when it is not installed."""
    top, _, sub = name.partition(".")
    try:
        spec = importlib.util.find_spec(top)
        if spec is not None and sub and "." not in sub:
            spec = importlib.machinery.PathFinder.find_spec(name, spec.submodule_search_locations)
        elif sub:
            spec = None
    except (ImportError, ValueError):
        spec = None
    return spec


def defer_module(name: str, functions: tuple[str, ...] = ()) -> bool:
    """Put a :class:`DeferredModule` for ``name`` into ``sys.modules`` unless that module is already
    imported (or its parent package is: it may hold the real one). ``functions``: names that callers take
    from the module at their own import (``from name import f``); the stand-in holds a function under
    each that imports the real module when called. True when the stand-in is in place."""
    parent = name.rpartition(".")[0]
    if name in sys.modules or (parent and parent in sys.modules):
        return isinstance(sys.modules.get(name), DeferredModule)
    spec = _find_spec(name)
    if spec is None:
        return False
    module = DeferredModule(name)
    if spec.submodule_search_locations is not None:
        module.__path__ = list(spec.submodule_search_locations)
    for function in functions:
        setattr(module, function, _forward(module, function))
    sys.modules[name] = module
    return True


def defer_bertopic_plotting() -> bool:
    """Defer BERTopic's plotting module (and plotly, UMAP, numba with it) until a chart is drawn; a no-op
    when BERTopic is not installed or already imported. True when the stand-in is in place."""
    return defer_module(BERTOPIC_PLOTTING)


def defer_iri_syntax() -> bool:
    """Defer ``rfc3987_syntax`` (jsonschema's IRI check) until an IRI is checked; a no-op when it is not
    installed or already imported. True when the stand-in is in place."""
    return defer_module(IRI_SYNTAX, IRI_FUNCTIONS)
