"""Import progress: per user, bounded in size and time, ids checked."""

from __future__ import annotations

import pytest

from crn.ingest import progress


@pytest.fixture(autouse=True)
def _empty():
    progress.clear()
    yield
    progress.clear()


def test_progress_is_kept_per_user_and_phase():
    tell = progress.reporter("u1", "job-00000001")
    tell("validate", 0, 10)
    assert progress.progress_of("u1", "job-00000001").step == 2
    tell("write", 4, 8)
    job = progress.progress_of("u1", "job-00000001")
    assert (job.phase, job.step, job.done, job.total) == ("write", 3, 4, 8)
    assert progress.progress_of("u2", "job-00000001") is None  # another user's id of the same name
    with pytest.raises(AssertionError):
        tell("flying", 0, 0)


def test_ids_are_checked_at_their_edges():
    assert progress.check_id("a" * 8) == "a" * 8 and progress.check_id("b" * 64) == "b" * 64
    for bad in ("a" * 7, "b" * 65, "../../x-123", "", "job 12345"):
        with pytest.raises(progress.BadJobId):
            progress.check_id(bad)


def test_the_table_is_bounded_in_size_and_time(monkeypatch):
    monkeypatch.setattr(progress, "MAX_JOBS", 3)
    for i in range(3):
        progress.report("u", f"job-0000000{i}", "read", 0, 0)
    assert progress.progress_of("u", "job-00000000") is not None  # at the limit: all kept
    progress.report("u", "job-00000003", "read", 0, 0)  # one more: the oldest goes
    assert progress.progress_of("u", "job-00000000") is None
    assert progress.progress_of("u", "job-00000003") is not None
    progress.clear()
    clock = [1000.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: clock[0])
    progress.report("u", "job-00000009", "write", 1, 2)
    clock[0] += progress.TTL_SECONDS - 1
    assert progress.progress_of("u", "job-00000009") is not None
    clock[0] += 1  # an hour after its last report: gone
    assert progress.progress_of("u", "job-00000009") is None
