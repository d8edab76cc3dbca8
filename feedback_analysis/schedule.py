"""The monthly job: ``feedback-analysis purge`` (the retention period) and ``report --pending`` on the 1st at
06:00, as a systemd user timer or a cron line.

``report --pending`` is idempotent and decides itself which months are complete (in the configured time
zone), so running it more often, late or twice is harmless: the schedule only says when to look.

* systemd: ``OnCalendar=*-*-01 06:00:00 Europe/Brussels`` with ``Persistent=true``, so a run missed while
  the machine was off happens at the next boot. User timers run only while the user is logged in unless
  lingering is on (``loginctl enable-linger``).
* cron runs in the system time zone; ``CRON_TZ=Europe/Brussels`` moves the job to Brussels time where cron
  supports it (cronie). Where it does not (Debian's cron), the job runs at 06:00 system time; it also runs
  on the 2nd, so a machine whose 1st 06:00 falls before midnight in Brussels still builds the month.

``install`` puts the job in place for the current user, idempotently: the systemd units are rewritten
only when they changed, and the crontab gets one block (a marker comment, ``CRON_TZ`` and the job),
replaced rather than added twice.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from feedback_analysis.config import Settings

UNIT_NAME = "feedback-analysis-report"
CRON_MARKER = "# feedback-analysis: monthly reports (added by `feedback-analysis schedule --install`)"


class ScheduleError(RuntimeError):
    """The job cannot be installed; the message is one line for the user."""


@dataclass(frozen=True)
class ReportJob:
    """What the scheduler runs: ``command`` in ``working_dir``, at 06:00 on the 1st in ``timezone``."""

    command: list[str]
    working_dir: Path
    timezone: str
    log_file: Path
    # Run first, each time: `purge` enforces the retention period (privacy.retention_months).
    purge_command: list[str] | None = None


def current_executable() -> list[str]:
    """The command that started this program: the ``feedback-analysis`` script of this environment."""
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started is not None and started.name == "feedback-analysis" and started.is_file():
        return [str(started.absolute())]
    # Not resolved: a venv's python is a symlink to the system one, and the script sits beside the link.
    beside = Path(sys.executable).absolute().with_name("feedback-analysis")
    if beside.is_file():
        return [str(beside)]
    return [str(Path(sys.executable).absolute()), "-m", "feedback_analysis.cli"]


def report_job(settings: Settings, config_path: Path | None = None, executable: list[str] | None = None) -> ReportJob:
    """The job for these settings: absolute paths, so it runs the same from cron or systemd."""
    data_dir = Path(settings.data_dir).absolute()
    program = executable or current_executable()
    options = ["--data-dir", str(data_dir)]
    if config_path is not None:
        options += ["--config", str(Path(config_path).absolute())]
    return ReportJob([*program, "report", "--pending", *options], Path.cwd().absolute(), settings.timezone,
                     data_dir / "report-schedule.log", [*program, "purge", *options])


# --- systemd ---------------------------------------------------------------------------------------

def _systemd_quote(word: str) -> str:
    """One ExecStart argument: % and $ escaped, quoted when it holds more than safe characters."""
    escaped = word.replace("%", "%%").replace("$", "$$")
    if re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", escaped):
        return escaped
    return '"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"'


def systemd_units(job: ReportJob) -> dict[str, str]:
    """File name -> content of the service and timer user units."""
    service = (
        "[Unit]\n"
        "Description=feedback-analysis: build the monthly reports that are pending\n\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"WorkingDirectory={str(job.working_dir).replace('%', '%%')}\n"
        # '-': a failed purge is logged but does not stop the reports.
        + (f"ExecStartPre=-{' '.join(_systemd_quote(word) for word in job.purge_command)}\n" if job.purge_command else "")
        + f"ExecStart={' '.join(_systemd_quote(word) for word in job.command)}\n"
    )
    timer = (
        "[Unit]\n"
        f"Description=feedback-analysis monthly reports (1st of the month, 06:00 {job.timezone})\n\n"
        "[Timer]\n"
        f"OnCalendar=*-*-01 06:00:00 {job.timezone}\n"
        "Persistent=true\n\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    return {f"{UNIT_NAME}.service": service, f"{UNIT_NAME}.timer": timer}


def systemd_user_dir() -> Path:
    """The folder of the current user's systemd units."""
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "systemd" / "user"


# --- cron ------------------------------------------------------------------------------------------

def cron_lines(job: ReportJob) -> list[str]:
    """The crontab block: marker comment, ``CRON_TZ`` and the job line (cron allows no comment after a job)."""
    command = " ".join(shlex.quote(word) for word in job.command)
    log = shlex.quote(str(job.log_file))
    line = f"0 6 1,2 * * cd {shlex.quote(str(job.working_dir))} && {command} >> {log} 2>&1"
    if job.purge_command:  # the retention period, enforced on every run
        line += f"; {' '.join(shlex.quote(word) for word in job.purge_command)} >> {log} 2>&1"
    return [CRON_MARKER, f"CRON_TZ={job.timezone}", line.replace("%", "\\%")]  # % ends a cron command


def merge_crontab(current: str, job: ReportJob) -> str:
    """``current`` crontab with this job's block in place of any earlier one, at the end."""
    kept: list[str] = []
    lines = current.splitlines()
    index = 0
    while index < len(lines):
        if lines[index] == CRON_MARKER:  # an earlier block: marker, CRON_TZ, job
            index += 1
            while index < len(lines) and lines[index].startswith("CRON_TZ="):
                index += 1
            if index < len(lines) and "report --pending" in lines[index]:
                index += 1
            continue
        kept.append(lines[index])
        index += 1
    while kept and not kept[-1].strip():
        kept.pop()
    block = cron_lines(job)
    return "\n".join([*kept, *([""] if kept else []), *block]) + "\n"


# --- printing and installing -----------------------------------------------------------------------

def describe(job: ReportJob) -> str:
    """The job as text to read or paste: the systemd units, then the crontab block."""
    units = systemd_units(job)
    folder = systemd_user_dir()
    parts = [
        f"# Monthly reports: `report --pending` on the 1st at 06:00 {job.timezone}.",
        "# Install for this user with: feedback-analysis schedule --install (systemd if available, else cron).",
        "",
        "# ---- systemd user units ----",
    ]
    for name, content in units.items():
        parts += [f"# {folder / name}", content.rstrip(), ""]
    parts += [
        f"# then: systemctl --user daemon-reload && systemctl --user enable --now {UNIT_NAME}.timer",
        "#       loginctl enable-linger \"$USER\"   (so the timer also runs when you are not logged in)",
        "",
        "# ---- or cron (crontab -e); CRON_TZ also applies to lines below it ----",
        *cron_lines(job),
    ]
    return "\n".join(parts)


def _run(command: list[str], stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=60)


def _systemd_user_available() -> bool:
    if not shutil.which("systemctl"):
        return False
    try:
        return _run(["systemctl", "--user", "show-environment"]).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def install_systemd(job: ReportJob) -> str:
    """Write and enable the user service and timer for ``job``; returns what was done, for the user."""
    folder = systemd_user_dir()
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, content in systemd_units(job).items():
        path = folder / name
        if not path.is_file() or path.read_text("utf-8") != content:
            path.write_text(content, encoding="utf-8")
            changed.append(name)
    for command in (["systemctl", "--user", "daemon-reload"],
                    ["systemctl", "--user", "enable", "--now", f"{UNIT_NAME}.timer"]):
        done = _run(command)
        if done.returncode != 0:
            reason = " ".join((done.stderr or done.stdout).split()) or f"exit status {done.returncode}"
            raise ScheduleError(f"{' '.join(command)} failed: {reason}")
    state = f"installed {', '.join(changed)} in {folder}" if changed else f"already installed in {folder}, unchanged"
    return (f"systemd timer {UNIT_NAME}.timer: {state}; enabled. "
            f"Check with `systemctl --user list-timers {UNIT_NAME}.timer`; for runs without a login session: "
            "`loginctl enable-linger \"$USER\"`.")


def install_cron(job: ReportJob) -> str:
    """Add ``job`` to the user's crontab (once); returns what was done, for the user."""
    listed = _run(["crontab", "-l"])
    if listed.returncode == 0:
        current = listed.stdout
    elif "no crontab" in (listed.stderr + listed.stdout).lower():
        current = ""
    else:
        reason = " ".join(listed.stderr.split()) or f"exit status {listed.returncode}"
        raise ScheduleError(f"crontab -l failed: {reason}")
    merged = merge_crontab(current, job)
    if merged == current:
        return f"crontab: already installed, unchanged; log: {job.log_file}"
    written = _run(["crontab", "-"], stdin=merged)
    if written.returncode != 0:
        raise ScheduleError(f"crontab - failed: {' '.join(written.stderr.split()) or written.returncode}")
    action = "replaced" if CRON_MARKER in current else "added"
    return f"crontab: {action} the monthly report job (1st and 2nd at 06:00 {job.timezone}); log: {job.log_file}"


def install(job: ReportJob) -> str:
    """Install the job for the current user: a systemd user timer when the user manager is reachable,
    else a crontab block. Returns what was done, in one line."""
    if _systemd_user_available():
        return install_systemd(job)
    if shutil.which("crontab"):
        return install_cron(job)
    raise ScheduleError("neither `systemctl --user` nor `crontab` is available here; "
                        "put the lines printed by `feedback-analysis schedule` in place by hand")
