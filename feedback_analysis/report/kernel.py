"""The report notebook's kernel: this interpreter, its own environment and log, run by papermill."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from feedback_analysis.config import Settings
from feedback_analysis.report.publish import FIGURES_ENV
from feedback_analysis.store import reports as storage

DEFAULT_TIMEOUT = 600


def _kernel_manager_class():
    """A kernel manager that starts ``sys.executable -m ipykernel_launcher``, needing no registered
    kernelspec, with the environment in its ``kernel_env`` and the kernel's own log in ``kernel_log``."""
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import Dict, Unicode

    class ProjectKernelManager(AsyncKernelManager):
        kernel_env = Dict(config=True)
        kernel_log = Unicode("", config=True)

        @property
        def kernel_spec(self):  # the base class would look the name up among registered kernels
            if self._kernel_spec is None:
                self._kernel_spec = KernelSpec(
                    argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    display_name="Python 3 (ipykernel)", language="python", env=dict(self.kernel_env))
            return self._kernel_spec

        async def start_kernel(self, **kw):
            # The kernel's own messages (start-up notices, shutdown) go to a log, not to the user's terminal.
            if not self.kernel_log:
                return await super().start_kernel(**kw)
            with storage.append_log(Path(self.kernel_log)) as log:
                return await super().start_kernel(stdout=log, stderr=log, **kw)

    return ProjectKernelManager


def kernel_environment(settings: Settings, figures_path: Path) -> dict[str, str]:
    """Environment variables set for the kernel (on top of this process's environment).

    Jupyter, IPython and matplotlib folders default to ``<data-dir>/.cache/`` (values already set in
    the environment are kept); charts draw inline whatever ``MPLBACKEND`` says here; warnings are off.
    """
    cache = Path(settings.data_dir).resolve() / ".cache"
    folders = {
        "JUPYTER_CONFIG_DIR": cache / "jupyter" / "config",
        "JUPYTER_DATA_DIR": cache / "jupyter" / "data",
        "JUPYTER_RUNTIME_DIR": cache / "jupyter" / "runtime",
        "IPYTHONDIR": cache / "ipython",
        "MPLCONFIGDIR": cache / "matplotlib",
    }
    env = storage.cache_folders(folders, os.environ)
    env.update({
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYTHONWARNINGS": "ignore",
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "TQDM_DISABLE": "1",
        FIGURES_ENV: str(figures_path),
    })
    return env


def execute_notebook(notebook: Path, output: Path, parameters: dict[str, str], env: dict[str, str],
                     timeout: int = DEFAULT_TIMEOUT, kernel_log: Path | None = None) -> None:
    """Run ``notebook`` with papermill into ``output`` on this interpreter's kernel.

    Raises papermill's or nbclient's exception when a cell fails or runs longer than ``timeout`` seconds.
    ``output`` is written when the run ends (failed, timed out or not), not when each cell starts and
    ends: papermill's save per cell (the whole notebook, validated, each time) cost the process that runs
    the report about 0.3 s of CPU per month, for a file in a work folder nobody reads meanwhile.
    """
    import papermill
    from traitlets.config import Config

    manager = _kernel_manager_class()
    config = Config({manager.__name__: {"kernel_env": env, "kernel_log": str(kernel_log or "")}})
    with _papermill_log(kernel_log):
        papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, kernel_name="python3", language="python",
            progress_bar=False, log_output=False, execution_timeout=timeout, start_timeout=120,
            request_save_on_cell_execute=False, engine_name=_engine_name(), save_failed_to=str(output),
            kernel_manager_class=manager, config=config,
        )


ENGINE = "feedback-analysis"


@functools.cache
def _engine_name() -> str:
    """papermill's nbclient engine, registered as :data:`ENGINE`, that writes the executed notebook to
    ``save_failed_to`` when the run raises (a cell past the timeout, a dead kernel): papermill writes
    it itself after a run that ends, also when a cell failed, but without per-cell saves it would
    write nothing for a run that raises."""
    from papermill.engines import NBClientEngine, papermill_engines

    class SaveOnFailureEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, save_failed_to=None, **kwargs):
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            except BaseException:
                if save_failed_to:  # papermill's closing save (after this) then writes it there
                    nb_man.output_path = save_failed_to
                raise

    papermill_engines.register(ENGINE, SaveOnFailureEngine)
    return ENGINE


@contextlib.contextmanager
def _papermill_log(path: Path | None) -> Iterator[None]:
    """Send papermill's (and nbclient's) log to ``path`` instead of the terminal: the runner reports
    failures itself, in one line."""
    logger = logging.getLogger("papermill")
    handler = storage.log_handler(path)
    handler.setFormatter(logging.Formatter("[papermill] %(levelname)s | %(message)s"))
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        handler.close()
