"""The VLM Director: a smolagents CodeAgent on a scripted model plans the blueprint and proposes
cameras; its answers are checked, errors go back to it, tool images reach it at the next step, and a
round with no usable answer falls to the built-in Director."""

import json
import re

import numpy as np
import pytest
from scripted_model import ScriptedModel, code
from test_photoflow import start

from agentvision.photoflow.loop import run_photoflow
from agentvision.photoflow.search import Budget
from agentvision.photoflow.vlm import VLMDirector
from agentvision.scene.library import library_scene

SMALL = Budget(rounds=2, candidates=2, preview_width=96, final_width=160)


@pytest.fixture(scope="module")
def living():
    return library_scene("living_room")


def test_director_plans_proposes_and_falls_back(living, tmp_path):
    _, state = start(living, "the sofa")
    good = [a.camera.with_width(96).to_dict() for a in state.anchors[:2]]
    inside = dict(good[0], position=[float(v) for v in living.get("sofa").mesh.centroid])  # inside the sofa
    replies = [
        # plan: correct the shot size
        code('final_answer({"shot_size": "wide"})'),
        # round 1: look first, then a camera inside the sofa (refused), then two good ones
        code(f"print(render_view(camera={json.dumps(json.dumps(good[0]))}))"),
        code(f"final_answer([{inside}, {good[1]}])"),
        code(f"final_answer([dict({good[0]}, note='sofa three-quarter'), {good[1]}])"),
        # round 2: code that fails every step, then no final answer
        code("undefined_name + 1"),
        code("undefined_name + 2"),
        code("undefined_name + 3"),
        "I cannot decide.",
    ]
    model = ScriptedModel(replies)
    director = VLMDirector(model, max_steps=3)
    out = tmp_path / "run"
    result = run_photoflow("the sofa", living, budget=SMALL, director=director, out_dir=out)

    assert result.blueprint.shot_size == "wide"  # the plan's correction was taken
    assert result.blueprint.subjects == ["sofa"]
    round0 = [e for e in result.trace if e["event"] == "proposal" and e["round"] == 0]
    assert [e["origin"] for e in round0] == ["vlm", "vlm"]
    assert round0[0]["note"] == "sofa three-quarter"
    assert round0[0]["camera"]["position"] == pytest.approx(good[0]["position"])
    round1 = [e for e in result.trace if e["event"] == "proposal" and e["round"] == 1]
    assert all(e["origin"] != "vlm" for e in round1)  # the built-in Director filled round 2
    fallbacks = [e for e in result.trace if e["event"] == "fallback"]
    assert [f["purpose"] for f in fallbacks] == ["propose-r01"]

    # The round-1 task carried the plan with the anchors and the first anchor's view; the render_view image
    # arrived next step.
    task_call = model.calls[1]
    assert len(model.images_in(1)) == 2
    assert "propose exactly 2 cameras" in task_call[-1].text
    assert "Images, in order: 1. the top-down plan" in task_call[-1].text
    after_render = model.calls[2]
    assert len(model.images_in(2)) == 3 and "render_view" in after_render[-1].text
    # The refused camera's error went back to the agent.
    refusal = model.calls[3][-1].text
    assert "camera 1" in refusal and "sofa" in refusal and "check_camera" in refusal  # the actual cause, named
    # Round 2 starts a fresh memory: last round's other candidate, the plan and the incumbent, nothing of round 1.
    round2 = model.calls[4]
    assert len(model.images_in(4)) == 3 and "Round 1 of" not in " ".join(m.text for m in round2)
    assert "The INCUMBENT, the best photo so far (r00c" in round2[-1].text
    # Code errors are fed back too.
    assert "undefined_name" in model.calls[5][-1].text

    steps = [e for e in result.trace if e["event"] == "agent_step"]
    assert steps and all(e["role"] == "director" for e in steps)
    assert sum(e["input_tokens"] for e in steps) > 0
    report = (out / "report.md").read_text()
    assert "| director |" in report


def test_a_bad_blueprint_is_refused_then_the_draft_is_kept(living):
    model = ScriptedModel([code('final_answer({"subjects": ["unicorn"]})')])
    director = VLMDirector(model, max_steps=1)
    bp = director.plan("the sofa", living)
    assert bp.subjects == ["sofa"]
    assert "object names" in model.calls[1][-1].text or len(model.calls) >= 2


def test_a_camera_height_from_the_model_is_checked(living):
    model = ScriptedModel([code('final_answer({"height_m": "os.system"})'), code('final_answer({"height_m": 1.2})')])
    bp = VLMDirector(model, max_steps=2).plan("the sofa", living)
    assert bp.height_m == 1.2 and "height_m must be a number" in model.calls[1][-1].text


def test_a_camera_pitch_from_the_model_is_checked(living):
    model = ScriptedModel([code('final_answer({"pitch_deg": 400})'), code('final_answer({"pitch_deg": -20})')])
    bp = VLMDirector(model, max_steps=2).plan("the sofa", living)
    assert bp.pitch_deg == -20 and "pitch_deg must be a number" in model.calls[1][-1].text


def test_the_agent_finds_the_subject_the_parser_could_not(living):
    from agentvision.photoflow.builtin.intent import IntentError

    model = ScriptedModel([code('final_answer({"subjects": ["sofa"], "shot_size": "wide"})')])
    bp = VLMDirector(model, max_steps=1).plan("the place where the family sits to watch films", living)
    assert bp.subjects == ["sofa"] and bp.shot_size == "wide"
    assert "subjects': []" in model.calls[0][-1].text  # the agent saw the empty draft
    # An agent that cannot say either leaves the parser's error, which lists what the scene holds.
    lost = ScriptedModel(["I do not know."])
    with pytest.raises(IntentError, match="sofa"):
        VLMDirector(lost, max_steps=1).plan("the place where the family sits to watch films", living)


NOTIONAL = ("pope", "wikipedia", "Ulam", "Guangzhou", "notional", "web_search", "image_generator")


def test_the_system_prompt_is_ours_with_every_allowed_value_and_no_notional_examples(living):
    from agentvision.camera import ASPECTS
    from agentvision.photoflow.blueprint import DEPTHS, PLACEMENTS, SHOT_SIZES, VANTAGES
    from agentvision.photoflow.vlm.director import MOOD_NAMES
    from agentvision.scene.lighting import TIMES

    model = ScriptedModel([code('final_answer({"shot_size": "wide"})')])
    VLMDirector(model, max_steps=1).plan("the sofa", living)
    system = model.calls[0][0].text
    assert not [w for w in NOTIONAL if w.lower() in system.lower()]
    assert system.startswith("You are the Director") and len(system) < 12000
    for value in (*ASPECTS, *MOOD_NAMES, *TIMES, *VANTAGES, *DEPTHS, *SHOT_SIZES, *PLACEMENTS):
        assert value in system, value
    for tool in ("def check_camera(", "def render_view(", "def top_down_map(", "def scene_objects(", "def aim_camera("):
        assert tool in system
    assert "counter-clockwise from east" in system and "<code>" in system and "image missing" in system
    example = system.split("A step looks like this:")[1].split("THE SCENE")[0]
    assert "import json" in example.split("json.dumps")[0]  # the example runs as written (json is not preloaded)


def test_listed_anchors_aim_at_the_subject_match_the_plan_and_are_renewed(living, monkeypatch):
    from agentvision.photoflow.vlm import views
    from agentvision.photoflow.vlm.director import shown_anchors
    from agentvision.scene.visibility import object_ids
    from agentvision.vision import centroid

    drawn = []
    real = views.top_down_map
    monkeypatch.setattr(views, "top_down_map", lambda *a, **k: drawn.append(k["camera"]) or real(*a, **k))
    # The blueprint adds a big context object: the anchors still aim at the subject, not at the union.
    _, state = start(living, "the sofa with the bookshelf")
    assert state.blueprint.context
    listed = shown_anchors(state, 8)
    for cam in listed[:3]:
        ids = object_ids(state.scene, cam.with_width(96))
        c = centroid(np.isin(ids, [state.scene.index(n) for n in state.subject.names]))
        assert abs(c[0] - 0.5) < 0.12 and abs(c[1] - 0.5) < 0.12
    model = ScriptedModel([code("final_answer([" + json.dumps(listed[0].to_dict()) + "])")])
    director = VLMDirector(model, max_steps=1)
    director.scout(state)
    director.propose(state, 1)
    task = model.calls[0][-1].text
    labels = re.findall(r"^- (A\d+): azimuth \d+ deg, [\d.]+ m from the subject's centre", task, re.M)
    assert labels == [f"A{i + 1}" for i in range(len(labels))] and len(labels) == 8
    assert [c.extra["name"] for c in drawn[-1]] == labels  # the same labels on the plan
    assert "counter-clockwise from east" in model.calls[0][0].text
    # The anchor the agent took is tried: next round it leaves the list.
    assert all(np.linalg.norm(np.subtract(c.position, listed[0].position)) > 0.4 for c in shown_anchors(state, 8))


def test_the_views_that_show_the_time_lead_the_listed_anchors():
    from agentvision.photoflow.builtin.director import BuiltinDirector
    from agentvision.photoflow.vlm.director import shown_anchors

    staircase = library_scene("staircase")
    _, state = start(staircase, "shoot the staircase at dusk")
    director = BuiltinDirector()
    director.scout(state)
    assert director.time_views
    listed = shown_anchors(state, 8, leading=director.time_views)
    assert len(listed) == 8 and listed[: len(director.time_views)] == director.time_views  # first, as they are
    assert shown_anchors(state, 8)[0] != director.time_views[0]
