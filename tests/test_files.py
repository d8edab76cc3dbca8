"""Locks and atomic writes shared by the stages."""

import pytest

from feedback_analysis.files import atomic_path, exclusive_lock


class Busy(RuntimeError):
    pass


def test_exclusive_lock_refuses_a_second_holder_and_is_released(tmp_path):
    lock = tmp_path / "sub" / ".lock"
    with exclusive_lock(lock, Busy, "busy"):
        with pytest.raises(Busy, match=r"\.lock: busy"):
            with exclusive_lock(lock, Busy, "busy"):
                pass
    with exclusive_lock(lock, Busy, "busy"):
        pass


def test_atomic_path_replaces_only_on_success(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(ValueError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise ValueError("boom")
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
    with atomic_path(target) as tmp:
        tmp.write_text("new")
    assert target.read_text() == "new" and sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
