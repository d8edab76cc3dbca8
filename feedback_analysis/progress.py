"""Progress on long work: one small callback shape that the pipeline calls, drawn by rich or tqdm.

Long stages (``pipeline.ingest``, ``pipeline.enrich``, ``pipeline.update_topics``,
``report.build_pending``) take an optional ``progress`` callback and call it as
``progress(stage, done, total)``: ``stage`` names a bar ("files", "rows", "months"), ``done`` is how far
that bar has come and ``total`` its end (None while unknown). The stages know nothing about terminals:

* the command line draws the calls as rich bars (:func:`terminal_bars`), only on a terminal and never
  with ``--quiet``, so logs and pipes stay clean;
* a notebook passes :func:`notebook_bars`, which draws them with ``tqdm.auto`` (a widget in Jupyter);
* everything else gets :func:`no_progress`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

ProgressCallback = Callable[[str, int, "int | None"], None]


def no_progress(stage: str, done: int, total: int | None = None) -> None:
    """The default callback: draws nothing."""


class _Bars:
    """Turns ``progress(stage, done, total)`` calls into one bar per stage, made on its first call."""

    def __init__(self, make: Callable[[str, int | None], object], update: Callable[[object, int, int | None], None]):
        self._make, self._update = make, update
        self.bars: dict[str, object] = {}

    def __call__(self, stage: str, done: int, total: int | None = None) -> None:
        if stage not in self.bars:
            self.bars[stage] = self._make(stage, total)
        self._update(self.bars[stage], int(done), total)


@contextlib.contextmanager
def terminal_bars(console, quiet: bool = False) -> Iterator[ProgressCallback]:
    """A callback drawing rich progress bars on ``console`` for the duration of the ``with`` block.

    Draws nothing (yields :func:`no_progress`) when ``quiet`` or when ``console`` is not a terminal: a
    scheduled job's log or a pipe gets the summaries only. Lines printed on ``console`` meanwhile appear
    above the bars.
    """
    if quiet or not console.is_terminal:
        yield no_progress
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description:>8}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as bars:
        yield _Bars(lambda stage, total: bars.add_task(stage, total=total),
                    lambda task, done, total: bars.update(task, completed=done, total=total))


@contextlib.contextmanager
def notebook_bars() -> Iterator[ProgressCallback]:
    """A callback drawing ``tqdm.auto`` bars (widgets in Jupyter, text elsewhere), closed at the end."""
    from tqdm.auto import tqdm

    def update(bar, done: int, total: int | None) -> None:
        if total is not None and bar.total != total:
            bar.total = total
        bar.n = done
        bar.refresh()

    drawn = _Bars(lambda stage, total: tqdm(total=total, desc=stage, leave=True), update)
    try:
        yield drawn
    finally:
        for bar in drawn.bars.values():
            bar.close()
