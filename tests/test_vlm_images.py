"""What the VLM roles are shown: every candidate at least 384 px on its longest side (alone, or sharing an image
laid out for it), captioned, the incumbent never trimmed away, and a missing image said to be missing."""

import json
import re

import pytest
from openai_stub import StubServer
from PIL import Image
from scripted_model import code
from test_photoflow import start

from agentvision.models import ModelOptions, load_model
from agentvision.models.images import OMITTED_NOTE
from agentvision.photoflow.loop import run_photoflow
from agentvision.photoflow.search import Budget
from agentvision.photoflow.vlm import VLMDirector, VLMReviewer, views
from agentvision.render import RenderSettings, render_scene
from agentvision.scene.library import library_scene

AMBER = (255, 200, 40)  # the incumbent's outline


@pytest.fixture(scope="module")
def living():
    return library_scene("living_room")


def frames(aspects: list[str]) -> list[Image.Image]:
    sizes = {"3:2": (512, 341), "16:9": (512, 288), "2:3": (342, 512), "1:1": (512, 512)}
    return [Image.new("RGB", sizes[a], (i * 40, 90, 120)) for i, a in enumerate(aspects)]


@pytest.mark.parametrize("n, slots", [(4, 4), (5, 4), (6, 4), (8, 4), (6, 2)])
def test_candidates_keep_at_least_384_px_and_their_aspect_whatever_the_slots(n, slots):
    aspects = (["3:2", "16:9", "2:3", "1:1"] * 2)[:n]
    items = [(f"candidate c{i}", im) for i, im in enumerate(frames(aspects))]
    packed = views.pack(items, slots, 1024)
    assert len(packed) <= slots
    if n <= slots:
        assert packed == items  # one image each, untouched
    for caption, image in packed:
        assert max(image.size) <= 1024
        shared = [c for c in re.findall(r"candidate c\d", caption)]
        group = [im for c, im in items if c in shared]
        assert views.smallest_side(group, 1024) >= views.MIN_SIDE
    assert sorted(c for caption, _ in packed for c in re.findall(r"candidate c\d", caption)) == [
        f"candidate c{i}" for i in range(n)
    ]


def test_the_incumbent_is_pinned_and_outlined():
    from agentvision.models.images import is_pinned

    _, state = start(library_scene("living_room"), "the sofa")
    cam = state.anchors[0].camera.with_width(512)
    from agentvision.photoflow.records import Candidate, Review, Shot

    shot = Shot(Candidate("r00c1", 0, cam, "anchor"), render_scene(state.scene, cam, RenderSettings.preview()),
                Review("r00c1", [], {"composition": 7.0}, {}, [], {}))  # fmt: skip
    caption, image = views.incumbent_view(shot, 0)
    assert caption.startswith("the INCUMBENT r00c1") and is_pinned({"type": "image", "image": image})
    assert image.getpixel((2, image.height // 2)) == AMBER and max(image.size) >= views.MIN_SIDE
    # The label and the outline lie around the picture: every pixel of the frame reaches the model.
    picture = shot.render.image().convert("RGB")
    assert image.width == picture.width + 8
    inner = image.crop((4, image.height - 4 - picture.height, 4 + picture.width, image.height - 4))
    assert inner.tobytes() == picture.tobytes()


def director_reply(request: dict) -> str:
    """Round 1: answer with anchors. Round 2: render a view first (a new image), then answer."""
    texts = [p.get("text", "") for m in request["messages"] for p in (m["content"] if isinstance(m["content"], list)
             else [{"text": m["content"]}])]  # fmt: skip
    task = next(t for t in texts if "New task:" in t)
    if "draft blueprint" in task:
        return code('final_answer({"shot_size": "wide"})')
    cams = re.findall(r"^- A\d+: .*?: (\{.*\})$", task, re.M)
    if "Round 2" in task and len(request["messages"]) == 2:  # the task alone: no step taken yet
        return code(f"print(render_view(camera={json.dumps(cams[0])}))")
    return code("final_answer([" + ", ".join(cams[:2]) + "])")


def images_in(request: dict) -> list[Image.Image]:
    import base64
    import io

    out = []
    for m in request["messages"]:
        for p in m["content"] if isinstance(m["content"], list) else []:
            if p.get("type") == "image_url":
                out.append(Image.open(io.BytesIO(base64.b64decode(p["image_url"]["url"].split(",", 1)[1]))))
    return out


@pytest.mark.slow
def test_trimming_to_two_images_never_drops_the_incumbent(living):
    with StubServer(director_reply) as server:
        model = load_model("openai:stub-model", ModelOptions(api_base=server.base_url, max_images=2))
        run_photoflow(
            "the sofa", living, budget=Budget(rounds=2, candidates=2, final_width=160), director=VLMDirector(model)
        )
        requests = server.requests
    round2 = [r for r in requests if "Round 2 of 2" in json.dumps(r)]
    assert len(round2) == 2  # the task, then the step after render_view
    for request in round2:
        shown = images_in(request)
        assert len(shown) == 2
        assert any(im.convert("RGB").getpixel((2, im.height // 2)) == AMBER for im in shown), "incumbent trimmed"
    assert json.dumps(OMITTED_NOTE.format(n=2))[1:-1] in json.dumps(round2[-1])


def test_an_image_that_cannot_be_sent_is_named_missing_and_the_role_says_what_to_do(living, monkeypatch):
    _, state = start(living, "the sofa")
    shots = []
    for i, a in enumerate(state.anchors[:2]):
        cam = a.camera.with_width(512)
        from agentvision.photoflow.records import Candidate

        shots.append((Candidate(f"x{i}", 0, cam, "test"), render_scene(state.scene, cam, RenderSettings.preview())))
    real = views.shot_image
    monkeypatch.setattr(views, "shot_image", lambda s, incumbent=False: Image.new("RGB", (0, 0)) if s.candidate.id ==
                        "x0" else real(s, incumbent))  # fmt: skip

    def reviewer_reply(request):
        text = json.dumps(request)
        ids = ["x0", "x1"]
        notes = {"x0": ["image missing"] if "[image missing" in text else []}
        axes = ("composition", "technical", "aesthetics", "alignment")
        return json.dumps(
            {"candidates": [{"id": i, "notes": notes.get(i, []), "scores": {a: 5 for a in axes}} for i in ids]}
        )

    with StubServer(reviewer_reply) as server:
        model = load_model("openai:stub-model", ModelOptions(api_base=server.base_url))
        reviews = VLMReviewer(model).review(state, shots)
        request = server.requests[-1]
    system = request["messages"][0]["content"]
    assert "do not guess what it shows" in system and 'put "image missing" in its notes' in system
    parts = request["messages"][1]["content"]
    texts = [p.get("text") for p in parts]
    at = texts.index(next(t for t in texts if t and t.startswith("Image 1: candidate x0")))
    assert texts[at + 1].startswith("[image missing: it could not be sent")  # right where the image stood
    assert len(images_in(request)) == 1
    assert reviews[0].facts["reviewer_notes"] == ["image missing"] and reviews[0].facts["scored_by"] == "vlm"
