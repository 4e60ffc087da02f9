"""VLM-backed Reviewer and Reflector on a scripted model: the requests they make, how replies are
checked and retried, the fallback to the built-in role, and what the trace and report record."""

import json
import re

import pytest
from scripted_model import ScriptedModel
from test_photoflow import shoot, start

from agentvision.photoflow.builtin.reflector import BuiltinReflector
from agentvision.photoflow.builtin.review_facts import edge_words
from agentvision.photoflow.builtin.reviewer import BuiltinReviewer
from agentvision.photoflow.loop import run_photoflow
from agentvision.photoflow.records import Candidate, RoundRecord, Shot
from agentvision.photoflow.search import Budget
from agentvision.photoflow.trace import RunLog, TraceWriter, usage_by_role
from agentvision.photoflow.vlm import VLMReflector, VLMReviewer
from agentvision.photoflow.vlm.director import _reflection
from agentvision.photoflow.vlm.exchange import extract_json
from agentvision.photoflow.vlm.prompts import PromptError, load_prompts
from agentvision.render import RenderSettings, render_scene
from agentvision.scene.library import library_scene

SMALL = Budget(rounds=2, candidates=2, preview_width=96, final_width=160)


def review_reply(messages, call):
    """A well-formed review of every candidate id the prompt lists (ids look like r00c1 or x1)."""
    prompt = messages[1].text  # the round's request (a retry appends turns after it)
    ids = re.findall(r"^- (\S+):", prompt, re.M)
    if "Measured facts per candidate" not in prompt:
        return json.dumps({"winner": "challenger", "reason": "B is brighter"})
    return json.dumps(
        {
            "candidates": [
                {
                    "id": i,
                    "notes": [f"note on {i}"],
                    "scores": {
                        a: {"score": 6.0 + n, "reason": f"{a} reason {i}"}
                        for a in ("composition", "technical", "aesthetics", "alignment")
                    },
                }
                for n, i in enumerate(ids)
            ]
        }
    )


@pytest.fixture(scope="module")
def living():
    return library_scene("living_room")


def two_shots(living, width=96):
    director, state = start(living, "the sofa")
    shots = [shoot(state, a.camera, f"x{i}") for i, a in enumerate(state.anchors[:2])]
    if width != 96:
        shots = [(c, render_scene(state.scene, c.camera.with_width(width), RenderSettings.preview())) for c, _ in shots]
        shots = [(Candidate(c.id, c.round, r.camera, c.origin), r) for c, r in shots]
    return state, shots


def test_reviewer_sends_each_candidate_as_its_own_captioned_image_with_facts_and_uses_the_scores(living, tmp_path):
    state, shots = two_shots(living, width=512)
    model = ScriptedModel(review_reply)
    reviewer = VLMReviewer(model)
    trace = TraceWriter()
    reviewer.bind(RunLog(trace, tmp_path))
    reviews = reviewer.review(state, shots)
    assert len(model.calls) == 1  # one call for the whole round
    sent = model.calls[0]
    assert [m.role for m in sent] == ["system", "user"]
    # One image per candidate, each at least 384 px on its longest side, each after the line captioning it.
    parts = sent[1].parts
    images = [i for i, p in enumerate(parts) if p.image is not None]
    assert len(images) == 2 and all(max(parts[i].image.size) >= 384 for i in images)
    assert all(parts[i - 1].text.startswith(f"Image {n}: candidate x{n - 1}") for n, i in enumerate(images, 1))
    prompt = sent[1].text
    # Facts carry their meaning and threshold; the weights and the centroid convention are stated.
    assert re.search(r"size: the subject spans \d+% of the frame's width or height \(aim \d+%", prompt)
    assert "needs at least 30%" in prompt and "clipped white" in prompt
    system = sent[0].text
    assert "0.3 x composition + 0.15 x technical" in system and "from the frame's left edge" in system
    builtin = BuiltinReviewer().review(state, shots)
    for r, b in zip(reviews, builtin, strict=True):
        assert [c.to_dict() for c in r.checks] == [c.to_dict() for c in b.checks]  # geometry stays geometric
        assert r.reasons["composition"] == f"composition reason {r.candidate_id}"
        assert r.facts["reviewer_notes"] == [f"note on {r.candidate_id}"]
    assert reviews[1].scores["composition"] == 7.0
    call = next(e for e in trace.events if e["event"] == "model_call")
    assert call["role"] == "reviewer" and call["input_tokens"] > 0 and call["output_tokens"] > 0
    assert (tmp_path / call["images"][0]).is_file()  # the image sent is kept in the run folder


def test_a_malformed_reply_is_retried_with_the_error_then_accepted(living):
    state, shots = two_shots(living)
    model = ScriptedModel(lambda m, i: "I like both." if i == 0 else review_reply(m, i))
    reviews = VLMReviewer(model).review(state, shots)
    assert len(model.calls) == 2
    retry = model.calls[1][-1].text
    assert "could not be used" in retry and "no JSON" in retry
    assert model.calls[1][-2].text == "I like both."  # the bad reply is shown back as the assistant turn
    assert reviews[0].facts["scored_by"] == "vlm"


def test_unusable_replies_fall_back_to_the_builtin_review_and_say_so(living):
    state, shots = two_shots(living)
    bad = json.dumps({"candidates": [{"id": "x0", "scores": {"composition": 14}}]})
    model = ScriptedModel(lambda m, i: bad)
    trace = TraceWriter()
    reviewer = VLMReviewer(model, retries=2)
    reviewer.bind(RunLog(trace))
    reviews = reviewer.review(state, shots)
    assert len(model.calls) == 3
    builtin = BuiltinReviewer().review(state, shots)
    assert [r.scores for r in reviews] == [b.scores for b in builtin]
    fallback = [e for e in trace.events if e["event"] == "fallback"]
    assert fallback and fallback[0]["role"] == "reviewer" and "0 to 10" in fallback[0]["reason"]
    assert usage_by_role(trace.events)["reviewer"]["fallbacks"] == 1


def test_a_server_error_mid_run_falls_back_without_retrying(living):
    state, shots = two_shots(living)
    model = ScriptedModel(lambda m, i: ConnectionError("server went away"))
    reviews = VLMReviewer(model).review(state, shots)
    assert len(model.calls) == 1 and len(reviews) == 2


def test_compare_has_its_own_prompt_shows_both_and_geometry_decides_first(living):
    state, shots = two_shots(living, width=512)
    model = ScriptedModel(review_reply)
    reviewer = VLMReviewer(model)
    reviews = reviewer.review(state, shots)
    a, b = (Shot(c, r, v) for (c, r), v in zip(shots, reviews, strict=True))
    result = reviewer.compare(state, a, b)
    assert result.winner == "challenger" and result.reason == "B is brighter"
    system, sent = model.calls[-1][0], model.calls[-1][1]
    assert "head to head" in system.text and "four axes" not in system.text  # not the review's system prompt
    assert '"winner": "incumbent", "reason": "image missing"' in system.text
    assert [p.text for p in sent.parts if p.text and p.text.startswith("Image")] == [
        "Image 1: A, the incumbent x0",
        "Image 2: B, the challenger x1",
    ]
    assert len(sent.images) == 2 and all(max(im.size) >= 384 for im in sent.images)
    # A challenger that fails a hard rule never reaches the model.
    bad = Shot(b.candidate, b.render, b.review)
    bad.review.checks[0].passed = False
    bad.review.checks[0].hard = True
    calls = len(model.calls)
    assert reviewer.compare(state, a, bad).winner == "incumbent"
    assert len(model.calls) == calls


def test_reflector_sees_cameras_free_space_and_reach_and_its_directions_are_checked(living):
    state, shots = two_shots(living, width=512)
    reviews = BuiltinReviewer().review(state, shots)
    record = RoundRecord(0, [Shot(c, r, v) for (c, r), v in zip(shots, reviews, strict=True)], "x0", None, None)
    state.rounds.append(record)
    state.incumbent = record.shots[0]
    reply = {
        "summary": "get closer and lower",
        "explore": False,
        "directions": [
            {"kind": "closer", "amount": 3.0, "reason": "tiny"},
            {"kind": "orbit", "amount": -20},
            {"kind": "aspect", "to": "4:3", "reason": "taller"},
            {"kind": "tilt", "amount": 35, "reason": "less paving"},
        ],
    }
    model = ScriptedModel(lambda m, i: "Here you go:\n```json\n" + json.dumps(reply) + "\n```")
    reflection = VLMReflector(model).reflect(state, record)
    assert [(d.kind, d.amount) for d in reflection.directions] == [
        ("closer", 0.6),
        ("orbit", -20.0),
        ("aspect", 0.0),
        ("tilt", 20.0),  # clipped to its range
    ]
    assert reflection.directions[2].reason == "4:3"  # where the built-in Director reads the aspect
    assert reflection.summary == "get closer and lower"
    assert sum(reflection.memory.values()) > 0 and reflection.memory == BuiltinReflector().reflect(state, record).memory
    system, prompt = model.calls[0][0].text, model.calls[0][1].text
    # The incumbent's camera, where it stands, its free space each way and how far each move can go.
    inc = state.incumbent.candidate.camera
    position = json.dumps([round(float(v), 3) for v in inc.position])
    assert "The INCUMBENT x0" in prompt and position in prompt
    assert re.search(r"free space ahead [\d.]+ m, behind [\d.]+ m, left [\d.]+ m, right [\d.]+ m, up", prompt)
    assert re.search(r"moves possible: closer (up to [\d.]+|blocked), farther", prompt)
    assert "The room: x " in prompt and "Region memory" not in prompt
    # Every move is defined in the system prompt; the incumbent's image is pinned, the other candidate shown too.
    assert "orbit (-90 to 90): walk around the vertical axis through the subject's centre" in system
    assert "re_aim: point the camera again" in system and "image missing" in system
    sent = model.calls[0][1]
    assert [p.text.split(":")[0] for p in sent.parts if p.text and p.text.startswith("Image")] == ["Image 1", "Image 2"]
    assert "the INCUMBENT x0" in [p.text for p in sent.parts if p.text and p.text.startswith("Image 1")][0]
    assert all(max(im.size) >= 384 for im in sent.images)
    still = ScriptedModel(lambda m, i: json.dumps({"summary": "keep it", "directions": []}))
    state.reflection = VLMReflector(still).reflect(state, record)
    assert state.reflection.directions == []  # no move is no move (not a re-aim the Director would apply)
    assert _reflection(state).startswith("no move: keep the incumbent's framing")
    wrong = ScriptedModel(lambda m, i: json.dumps({"directions": [{"kind": "teleport"}]}))
    fallback = VLMReflector(wrong).reflect(state, record)
    assert len(wrong.calls) == 2 and "teleport" in wrong.calls[1][-1].text  # the error went back to it
    assert all(d.kind != "teleport" for d in fallback.directions)


def test_a_run_with_vlm_reviewer_and_reflector_records_the_exchange(tmp_path):
    scene = library_scene("living_room")
    model = ScriptedModel(
        lambda m, i: (
            review_reply(m, i)
            if not m[0].text.startswith("You are the Reflector")
            else json.dumps({"summary": "closer", "explore": False, "directions": [{"kind": "closer", "amount": 0.2}]})
        )
    )
    out = tmp_path / "run"
    result = run_photoflow(
        "the sofa", scene, budget=SMALL, reviewer=VLMReviewer(model), reflector=VLMReflector(model), out_dir=out
    )
    assert result.photo is not None
    events = [json.loads(line) for line in (out / "trace.jsonl").read_text().splitlines()]
    calls = [e for e in events if e["event"] == "model_call"]
    assert {e["role"] for e in calls} == {"reviewer", "reflector"}
    assert events[0]["event"] == "blueprint"
    report = (out / "report.md").read_text()
    assert "## Models" in report and "| reviewer |" in report
    assert all((out / ref).is_file() for e in calls for ref in e["images"])
    camera = json.loads((out / "camera.json").read_text())
    assert camera["scores"]["facts"]["scored_by"] == "vlm"


def test_prompts_load_and_overrides_must_be_complete(tmp_path):
    assert {"system", "review", "compare", "retry"} <= set(load_prompts("reviewer"))
    (tmp_path / "reviewer.yaml").write_text("system: be brief\n")
    with pytest.raises(PromptError, match="lacks"):
        load_prompts("reviewer", tmp_path)
    full = dict(load_prompts("reviewer"), system="Be a harsh critic.")
    import yaml

    (tmp_path / "reviewer.yaml").write_text(yaml.safe_dump(full))
    assert load_prompts("reviewer", tmp_path)["system"] == "Be a harsh critic."
    with pytest.raises(PromptError, match="does not exist"):
        load_prompts("reviewer", tmp_path / "nope")


def test_an_edge_cut_reads_as_the_share_still_inside():
    assert edge_words("left", 0.0) == "touching the left edge"
    assert edge_words("top", 0.25) == "top edge, 75% of it inside the frame"
    assert edge_words("right", 1.0).startswith("a sliver at the right edge")  # never "0% inside" yet cut


def test_extract_json_finds_objects_in_prose_and_fences():
    assert extract_json('sure: {"a": 1} thanks') == {"a": 1}
    assert extract_json('```json\n{"b": [1, 2]}\n```') == {"b": [1, 2]}
    with pytest.raises(ValueError):
        extract_json("no json here")


def test_a_model_that_goes_away_is_asked_once_per_role_then_left_alone(tmp_path):
    from agentvision.models import ModelUnavailable
    from agentvision.photoflow.vlm import VLMDirector

    model = ScriptedModel(lambda m, i: ModelUnavailable("no answer from http://gpu:8000/v1 within 120 s"))
    result = run_photoflow(
        "the sofa",
        library_scene("living_room"),
        budget=Budget(rounds=3, candidates=2, preview_width=96, final_width=160),
        director=VLMDirector(model),
        reviewer=VLMReviewer(model),
        reflector=VLMReflector(model),
    )
    assert result.photo is not None  # the built-in roles finished the run
    assert len(model.calls) == 3  # one try per role, not one timeout per step
    fallbacks = [e for e in result.trace if e["event"] == "fallback"]
    assert {f["role"] for f in fallbacks} == {"director", "reviewer", "reflector"}
    assert sum("model unavailable" in f["reason"] for f in fallbacks) >= 4
