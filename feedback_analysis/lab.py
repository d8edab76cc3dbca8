"""``make lab``: JupyterLab on the notebooks folder, with the project's kernel and the project's data folder.

Run from the project folder (``python -m feedback_analysis.lab [jupyter lab options]``). The settings are
read as every command reads them (``feedback_analysis.yaml`` here, ``FEEDBACK_ANALYSIS_DATA_DIR``), and
handed to the notebooks as absolute paths in the environment: a kernel runs in its notebook's folder, where
``data/`` and ``feedback_analysis.yaml`` would not be found. The notebooks pick them up through
:func:`feedback_analysis.explore.notebook_settings`.

Jupyter keeps its state (configuration, kernels' runtime files, Lab's settings and workspaces) in
``.cache/jupyter`` unless the environment says otherwise, as the Makefile does for every target. The kernel
is this interpreter's (``python3``), so the notebooks import this checkout of the package. Saving a
notebook in Lab also writes its paired ``.py`` (``notebooks/jupytext.toml``).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from feedback_analysis.config import DATA_DIR_ENV, USER_CONFIG_NAME, ConfigError, load_settings

CONFIG_ENV = "FEEDBACK_ANALYSIS_CONFIG"
NOTEBOOKS = Path("notebooks")
# Lab's first-run settings for this project (written once; an analyst's own changes are kept): open a
# notebook with its kernel running instead of asking which one, and never fetch news from the internet.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"autoStartDefaultKernel": True},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                       "checkForUpdates": False},
}


def lab_environment(project: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """The environment for JupyterLab started in ``project``: the data folder and config file as absolute
    paths (:data:`~feedback_analysis.config.DATA_DIR_ENV`, :data:`CONFIG_ENV`), Jupyter's state folders
    inside ``project/.cache`` where ``environ`` sets none. Raises ConfigError for a bad settings file."""
    project = Path(project).resolve()
    config = Path(environ[CONFIG_ENV]) if environ.get(CONFIG_ENV) else project / USER_CONFIG_NAME
    config = config if config.is_file() else None
    if environ.get(CONFIG_ENV) and config is None:
        raise ConfigError(f"{environ[CONFIG_ENV]}: config file not found ({CONFIG_ENV})")
    settings = load_settings(config, environ=dict(environ))
    data_dir = settings.data_dir if settings.data_dir.is_absolute() else project / settings.data_dir
    cache = project / ".cache"
    env = dict(environ)
    env[DATA_DIR_ENV] = str(data_dir)
    if config is not None:
        env[CONFIG_ENV] = str(config.resolve())
    defaults = {
        "JUPYTER_CONFIG_DIR": cache / "jupyter",
        "JUPYTER_DATA_DIR": cache / "jupyter" / "data",
        "JUPYTER_RUNTIME_DIR": cache / "jupyter" / "runtime",
        "JUPYTERLAB_SETTINGS_DIR": cache / "jupyter" / "lab" / "user-settings",
        "JUPYTERLAB_WORKSPACES_DIR": cache / "jupyter" / "lab" / "workspaces",
        "IPYTHONDIR": cache / "ipython",
        "MPLCONFIGDIR": cache / "matplotlib",
    }
    for name, folder in defaults.items():
        env.setdefault(name, str(folder))
        Path(env[name]).mkdir(parents=True, exist_ok=True)
    for name, values in LAB_SETTINGS.items():
        path = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values, indent=2) + "\n", encoding="utf-8")
    return env


def lab_command(project: Path, options: Sequence[str] = (), environ: Mapping[str, str] | None = None) -> list[str]:
    """The ``jupyter lab`` command line: this interpreter, the notebooks folder as root, the ``python3``
    kernel, checkpoints in ``.cache/jupyter/checkpoints``, no browser opened where there is no display to
    open it on, ``--allow-root`` for root (a container); ``options`` last, so they win."""
    environ = os.environ if environ is None else environ
    project = Path(project).resolve()
    # checkpoints in .cache too: a .ipynb_checkpoints folder beside the notebooks would be one more copy of
    # each notebook, with outputs, in the project's tree
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={project / NOTEBOOKS}",
               "--MappingKernelManager.default_kernel_name=python3",
               f"--FileCheckpoints.checkpoint_dir={project / '.cache' / 'jupyter' / 'checkpoints'}"]
    if not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")) and sys.platform.startswith("linux"):
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI run as root; Jupyter refuses unless told
        command.append("--allow-root")
    return [*command, *options]


def main(argv: Sequence[str] | None = None) -> int:
    """Start JupyterLab (replacing this process); a bad settings file is a one-line error."""
    argv = list(sys.argv[1:] if argv is None else argv)
    project = Path.cwd()
    if not (project / NOTEBOOKS).is_dir():
        print(f"error: {project}: no notebooks/ folder here; run `make lab` in the project folder", file=sys.stderr)
        return 2
    try:
        env = lab_environment(project, os.environ)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    command = lab_command(project, argv, env)
    os.execve(command[0], command, env)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
