"""The report and the index in a real browser: headless Chromium, driven over the DevTools protocol.

What this proves, for a report built by the runner and for the reports index:

* it renders: the page loads, its title is set, every image is decoded (``naturalWidth > 0``);
* nothing goes wrong in the page: no console error or warning, no uncaught exception, no browser log
  entry at warning or error level;
* it is self-contained: the page makes no request other than its own ``file://`` URL and ``data:`` URLs
  (every request the page starts is seen by ``Network.requestWillBeSent``; host names do not resolve, so
  a request that slipped through would not leave the machine either);
* it fits a phone: at 390 CSS pixels wide (a mobile viewport) the page does not scroll sideways.

A last test feeds the same check a page that breaks each rule, to show the check can fail.

Chromium comes from Debian's ``chromium`` package. When it is missing, the set-up installs it with
apt-get (as root, with a time limit) and skips these tests, saying why, only when that fails. The
protocol runs over a pipe (``--remote-debugging-pipe``), so no extra Python package is needed.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from feedback_analysis import report

# The runner tests' helpers, and their store fixture (base_posts), to build a report to look at.
from test_report_runner import BUILT, base_posts, make_project, paths, reports_of, run_report  # noqa: F401

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True}
PAGE_FACTS = """JSON.stringify({
  title: document.title,
  text: document.body ? document.body.innerText : "",
  images: Array.from(document.images).map(i => ({complete: i.complete, width: i.naturalWidth})),
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
})"""


def find_chromium() -> tuple[str | None, str]:
    """The Chromium binary, installing Debian's package when it is missing; else None and why."""
    for name in (os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name), ""
    if not shutil.which("apt-get"):
        return None, "Chromium is not installed and there is no apt-get to install it"
    if os.geteuid() != 0:
        return None, "Chromium is not installed and installing it needs root (apt-get install chromium)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
            if done.returncode != 0:
                last = (done.stderr.strip().splitlines() or ["no message"])[-1]
                return None, f"Chromium is not installed and `{' '.join(command)}` failed: {last}"
    except subprocess.TimeoutExpired:
        return None, "Chromium is not installed and apt-get did not finish within 15 minutes"
    found = shutil.which("chromium")
    return found, "" if found else "apt-get installed chromium but there is no `chromium` on PATH"


def _above(fd: int, lowest: int) -> int:
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, lowest)
    os.close(fd)
    return moved


class Browser:
    """Headless Chromium with the DevTools protocol over a pipe: JSON messages ending in a NUL byte,
    commands on the browser's fd 3, replies and events on its fd 4."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_browser, self._commands = os.pipe()
        self._replies, from_browser = os.pipe()
        # Above 4, so that moving them to 3 and 4 cannot overwrite one with the other.
        to_browser, from_browser = (_above(fd, 10) for fd in (to_browser, from_browser))
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-extensions",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--no-first-run", "--no-default-browser-check",
                 "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}", "--remote-debugging-pipe",
                 "about:blank"]

        def at_3_and_4() -> None:  # in the child, before it runs Chromium
            os.dup2(to_browser, 3)
            os.dup2(from_browser, 4)

        self.process = subprocess.Popen([binary, *flags], preexec_fn=at_3_and_4, pass_fds=(3, 4),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []

    def _read(self, timeout: float) -> dict | None:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._replies], [], [], left)[0]:
                return None
            chunk = os.read(self._replies, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode("utf-8") + b"\0")
        while True:
            reply = self._read(timeout)
            if reply is None:
                raise TimeoutError(f"Chromium did not answer {method} within {timeout} s")
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def open(self, url: str, quiet: float = 0.7, timeout: float = 30) -> tuple[dict, list[dict]]:
        """Load ``url`` in a new tab with a phone's viewport; return the page facts and the tab's events."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.call(f"{domain}.enable", session=session)
        self.call("Emulation.setDeviceMetricsOverride", PHONE, session=session)
        self.events = []
        self.call("Page.navigate", {"url": url}, session=session)
        deadline, loaded = time.monotonic() + timeout, False
        while time.monotonic() < deadline:  # until loaded and then quiet for a moment (late requests)
            event = self._read(quiet)
            if event is None:
                if loaded:
                    break
                continue
            self.events.append(event)
            loaded = loaded or (event.get("method") == "Page.loadEventFired" and event.get("sessionId") == session)
        assert loaded, f"{url} did not finish loading within {timeout} s"
        facts = self.call("Runtime.evaluate", {"expression": PAGE_FACTS, "returnByValue": True}, session=session)
        events = [e for e in self.events if e.get("sessionId") == session]
        self.call("Target.closeTarget", {"targetId": target})
        return json.loads(facts["result"]["value"]), events

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=5)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self._commands)
        os.close(self._replies)


def problems(facts: dict, events: list[dict]) -> list[str]:
    """Everything that is wrong with a loaded page, as readable lines."""
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in {"error", "warning", "assert"}:
            values = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            found.append(f"console {params['type']}: {values}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            found.append(f"exception: {details.get('exception', {}).get('description') or details.get('text')}")
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in {"error", "warning"}:
            entry = params["entry"]
            found.append(f"browser log {entry['level']}: {entry.get('text')} {entry.get('url', '')}")
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if not url.startswith(("file:", "data:")):
                found.append(f"network request: {url}")
    for number, image in enumerate(facts["images"]):
        if not image["complete"] or not image["width"]:
            found.append(f"image {number} did not render")
    if facts["scrollWidth"] > facts["innerWidth"] + 1:
        found.append(f"scrolls sideways on a phone: {facts['scrollWidth']} px wide in {facts['innerWidth']} px")
    return found


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    binary, reason = find_chromium()
    if binary is None:
        pytest.skip(reason)
    chromium = Browser(binary, tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def project(tmp_path_factory, base_posts):  # noqa: F811 - the fixture imported above
    built = make_project(tmp_path_factory.mktemp("browser"), base_posts)
    result = run_report(built, "--month", BUILT)
    assert result.exit_code == 0, result.output
    return built


def test_report_renders_without_console_errors_or_network_requests(browser, project):
    facts, events = browser.open(paths(project).html.as_uri())
    assert problems(facts, events) == []
    assert facts["title"] == "Teststad: rapport februari 2025"
    assert "3 berichten in 2025-02 (nl)" in facts["text"] and len(facts["images"]) == 1
    assert "publish_figures" not in facts["text"]


def test_index_renders_without_console_errors_or_network_requests(browser, project):
    facts, events = browser.open((reports_of(project) / "index.html").as_uri())
    assert problems(facts, events) == []
    assert "februari 2025" in facts["text"] and "berichten" in facts["text"]


def test_the_check_sees_a_page_that_breaks_the_rules(browser, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><head><script src="https://cdn.example.org/require.js"></script></head>'
                    '<body><img src="http://example.org/chart.png"><div style="width:2000px">breed</div>'
                    '<script>console.error("kapot"); notDefined();</script></body></html>')
    found = problems(*browser.open(page.as_uri()))
    assert any(p == "network request: https://cdn.example.org/require.js" for p in found)
    assert any(p == "network request: http://example.org/chart.png" for p in found)
    assert "console error: kapot" in found
    assert any(p.startswith("exception:") and "notDefined" in p for p in found)
    assert "image 0 did not render" in found
    assert any(p.startswith("scrolls sideways on a phone") for p in found)
    assert report.external_resources(page.read_text()) == ["https://cdn.example.org/require.js",
                                                           "http://example.org/chart.png"]
