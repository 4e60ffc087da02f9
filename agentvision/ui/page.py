"""The photographer's web page, on Gradio: a conversation (intent in, rounds arriving, the photo, follow-ups),
the latest photo with its camera and scores, and the earlier runs to browse."""

from __future__ import annotations

import json
from pathlib import Path

import gradio as gr

from agentvision.runs import RunRecord, find_runs, read_run
from agentvision.ui.live import Item, PageSession, run_request

EXAMPLES = [
    "shoot the staircase at dusk",
    "the teal sofa on the left third, 35mm",
    "the fountain framed through the archway at golden hour",
    "lower the camera",
    "try 85mm",
]
RUN_COLUMNS = ["#", "when", "scene", "score", "intent", "folder"]


def run_markdown(run: RunRecord | None) -> str:
    """A run's intent, score with its four axes and reasons, and camera, as Markdown."""
    if run is None:
        return ""
    scores = run.data.get("scores") or {}
    camera = run.data.get("camera") or {}
    lines = [f"**{run.intent}**  \n{run.scene}, {run.time_of_day}, {run.strategy or 'chat'} · {run.when}"]
    if run.score is not None:
        broken = [c["name"] for c in scores.get("checks", []) if c.get("hard") and not c.get("passed")]
        editor = f", an editor: about {scores['editor_estimate']:.1f}" if "editor_estimate" in scores else ""
        lines.append(f"**score {run.score:.2f}/10**{editor}" + (f" (breaks: {', '.join(broken)})" if broken else ""))
    reasons = scores.get("reasons") or {}
    lines += [f"- {axis} {value:.1f}: {reasons.get(axis, '')}" for axis, value in (scores.get("scores") or {}).items()]
    shown = {k: [round(float(v), 3) for v in val] if k in ("position", "look_at") else val for k, val in camera.items()}
    lines.append(f"```json\n{json.dumps(shown)}\n```")
    lines.append(f"`{run.folder}`")
    return "\n\n".join(lines)


def runs_table(root: Path) -> list[list]:
    return [
        [n, r.when, r.scene, "" if r.score is None else round(r.score, 2), r.intent, str(r.folder)]
        for n, r in enumerate(find_runs(root), 1)
    ]


def add_items(history: list[dict], items: list[Item]) -> None:
    """Append a request's output to the conversation: consecutive lines join one message; images go inline."""
    for item in items:
        if item.kind == "image":
            history.append({"role": "assistant", "content": {"path": str(item.path), "alt_text": item.text}})
            history.append({"role": "assistant", "content": f"*{item.text}*"})
        elif history and history[-1]["role"] == "assistant" and history[-1].get("_log"):
            history[-1]["content"] += "\n" + item.text
        elif item.text.strip():
            history.append({"role": "assistant", "content": item.text, "_log": True})


def _shown(history: list[dict]) -> list[dict]:
    return [{k: v for k, v in m.items() if not k.startswith("_")} for m in history]


def build_page(session: PageSession, runs_root: Path, title: str) -> gr.Blocks:
    """The page for ``session``; ``runs_root`` is the folder of earlier runs it lists."""
    started: list[dict] = []
    add_items(started, [i for batch in [list(_startup(session))] for i in batch])

    with gr.Blocks(title="agentvision") as page:
        gr.Markdown(f"## agentvision · virtual photography\n{title}")
        log = gr.State(list(started))
        with gr.Tabs():
            with gr.Tab("Photograph"):
                with gr.Row():
                    with gr.Column(scale=3):
                        chat = gr.Chatbot(value=_shown(started), label="session", height=640, elem_id="conversation")
                        with gr.Row():
                            box = gr.Textbox(
                                placeholder="what to photograph; then follow-ups: lower the camera, try 85mm",
                                show_label=False,
                                elem_id="request",
                                scale=5,
                            )
                            send = gr.Button("Shoot", variant="primary", elem_id="send", scale=1)
                        gr.Examples(EXAMPLES, inputs=box, label="try")
                    with gr.Column(scale=2):
                        photo = gr.Image(label="photo", elem_id="photo", type="filepath", interactive=False)
                        info = gr.Markdown(elem_id="photo-info")
                        sheets = gr.Gallery(label="rounds and scout map", elem_id="rounds", columns=2, height=320)
            with gr.Tab("Runs", elem_id="runs-tab"):
                refresh = gr.Button("Refresh")
                table = gr.Dataframe(headers=RUN_COLUMNS, value=runs_table(runs_root), interactive=False)
                with gr.Row():
                    run_photo = gr.Image(label="photo", elem_id="run-photo", type="filepath", interactive=False)
                    run_info = gr.Markdown(elem_id="run-info")
                report = gr.Markdown(elem_id="run-report")

        def shoot(text: str, history: list[dict]):
            text = (text or "").strip()
            if not text:
                yield history, _shown(history), gr.skip(), gr.skip(), gr.skip(), ""
                return
            history = [*history, {"role": "user", "content": text}]
            gallery: list[tuple[str, str]] = []
            latest, about = gr.skip(), gr.skip()
            for items in run_request(session, text):
                add_items(history, items)
                for item in items:
                    if item.kind != "image":
                        continue
                    if item.text.startswith(("round", "scout")):
                        gallery.append((str(item.path), item.text))
                    else:  # a photo, or an image the agent's tools made
                        run = read_run(item.path.parent) if item.text == "photo" else None
                        latest, about = str(item.path), run_markdown(run) or f"*{item.text}*: `{item.path}`"
                yield history, _shown(history), latest, about, gallery or gr.skip(), ""

        def show_run(rows, event: gr.SelectData):
            runs = find_runs(runs_root)
            index = event.index[0] if isinstance(event.index, list | tuple) else event.index
            if not 0 <= index < len(runs):
                return None, "", ""
            run = runs[index]
            text = run.report.read_text() if run.report.is_file() else ""
            return str(run.photo), run_markdown(run), text.replace("](photo.png)", f"]({run.photo})")

        outputs = [log, chat, photo, info, sheets, box]
        send.click(shoot, [box, log], outputs)
        box.submit(shoot, [box, log], outputs)
        refresh.click(lambda: runs_table(runs_root), None, table)
        table.select(show_run, [table], [run_photo, run_info, report])
    return page


def _startup(session: PageSession) -> list[Item]:
    """What the session said while it started (the model check), for the conversation's first message."""
    session.console.file.flush()
    out = []
    while not session.items.empty():
        out.append(session.items.get_nowait())
    return out
