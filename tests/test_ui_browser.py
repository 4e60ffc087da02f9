"""``agentvision ui`` in a real browser: Debian's headless Chromium driven by Playwright types an intent, watches
the rounds arrive, finds the photo, asks a follow-up and browses the earlier runs; with a VLM (the loopback
OpenAI-compatible stub playing a CodeAgent) the conversation shows the agent's tool image inline.

Set AGENTVISION_UPDATE_SCREENSHOTS=1 to copy the page's screenshot to docs/images/ui.png (the README's)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from openai_stub import StubServer
from test_chat_vlm_tmux import play_code_agent

pytestmark = pytest.mark.slow  # a server and a browser: tens of seconds

playwright = pytest.importorskip("playwright.sync_api", reason="pip install 'agentvision[ui]' (scripts/test.sh does)")
pytest.importorskip("gradio", reason="pip install 'agentvision[ui]' (scripts/test.sh does)")
ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Page:
    """``agentvision ui`` started in its own process group, and the URL it serves."""

    def __init__(self, cwd: Path, *args: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "GRADIO_ANALYTICS_ENABLED": "False"}
        self.log = cwd / "ui.log"
        cmd = [sys.executable, "-m", "agentvision.cli", "ui", "--port", str(self.port), *args]
        self.process = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 90
        while True:
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "the page never answered: " + self.log.read_text()
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


@pytest.fixture
def browser():
    if CHROMIUM is None:
        pytest.skip("no chromium: apt-get install chromium (scripts/test.sh does)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def open_tab(browser, page: Page, heading: str, height: int = 1100):
    """A browser tab on the page, once Gradio has drawn it (the heading names the mode)."""
    tab = browser.new_page(viewport={"width": 1400, "height": height})
    tab.goto(page.url)
    tab.get_by_text(heading).first.wait_for(timeout=60_000)
    return tab


def ask(tab, text: str) -> None:
    tab.locator("#request textarea").fill(text)
    tab.locator("#send").click()


def test_the_photographer_page(browser, tmp_path):
    runs = tmp_path / "runs"
    page = Page(tmp_path, "--out", "runs/ui-session", "--runs", "runs", "--rounds", "2", "--candidates", "2")
    try:
        tab = open_tab(browser, page, "model-free photographer")
        ask(tab, "shoot the staircase at dusk")
        conversation = tab.locator("#conversation")
        conversation.get_by_text("round 1/2").first.wait_for(timeout=120_000)  # a round's sheet, as it ends
        tab.locator("#photo img").wait_for(timeout=120_000)
        info = tab.locator("#photo-info")
        info.get_by_text("score").first.wait_for()
        assert "shoot the staircase at dusk" in info.inner_text() and "staircase, dusk" in info.inner_text()
        assert tab.locator("#rounds img").count() >= 2  # the scout map and the round sheets
        first = tab.locator("#photo img").get_attribute("src")
        tab.screenshot(path=str(tmp_path / "ui.png"), full_page=True)

        ask(tab, "lower the camera")
        conversation.get_by_text("shot 2:").first.wait_for(timeout=120_000)
        tab.wait_for_function(
            "src => document.querySelector('#photo img') && document.querySelector('#photo img').src !== src", arg=first
        )
        assert (runs / "ui-session" / "shot-02" / "photo.png").is_file()

        tab.get_by_role("tab", name="Runs").click()
        tab.get_by_text("Refresh").click()
        tab.get_by_role("gridcell", name="lower the camera").first.click()  # the newest run
        tab.locator("#run-photo img").wait_for(timeout=30_000)
        assert "score" in tab.locator("#run-info").inner_text()
        assert "## Rounds" in tab.locator("#run-report").inner_text() or tab.locator("#run-report").inner_text()
    finally:
        page.close()
    keep_screenshot(tmp_path / "ui.png")


def keep_screenshot(path: Path) -> None:
    """With AGENTVISION_UPDATE_SCREENSHOTS=1, the screenshot becomes the README's (docs/images/)."""
    if os.environ.get("AGENTVISION_UPDATE_SCREENSHOTS"):
        (ROOT / "docs" / "images").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, ROOT / "docs" / "images" / path.name)


def test_with_a_vlm_the_page_is_the_agent_conversation_with_tool_images(browser, tmp_path):
    with StubServer(play_code_agent, models=["stub-vlm"]) as stub:
        args = ["--model", "openai:stub-vlm", "--api-base", stub.base_url, "--scene", "gallery"]
        page = Page(tmp_path, *args, "--preview-width", "320", "--out", "runs/ui-agent")
        try:
            tab = open_tab(browser, page, "agent conversation: openai:stub-vlm", height=1000)
            ask(tab, "show me the gallery")
            conversation = tab.locator("#conversation")
            conversation.get_by_text("The gallery from its overview camera").first.wait_for(timeout=120_000)
            assert conversation.get_by_text("render_view()").count() >= 1  # the agent's code
            assert conversation.locator("img").count() >= 1  # the render the tool made, inline
            tab.locator("#photo img").wait_for()  # the latest image the agent made, beside the conversation
            assert len(stub.requests) == 2 and "show me the gallery" in str(stub.requests[0]["messages"])
            tab.screenshot(path=str(tmp_path / "ui-agent.png"), full_page=True)
        finally:
            page.close()
    keep_screenshot(tmp_path / "ui-agent.png")


def test_without_gradio_the_command_says_what_to_install(tmp_path):
    code = (
        "import sys; sys.modules['gradio'] = None\n"
        "from agentvision.cli import main\n"
        f"sys.exit(main(['ui', '--out', {str(tmp_path / 's')!r}]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True
    )
    assert out.returncode == 4 and "pip install 'agentvision[ui]'" in out.stderr and "Traceback" not in out.stderr
