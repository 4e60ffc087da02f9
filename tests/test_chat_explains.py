"""A chat session that explains itself: broken follow-ups say why and offer the nearest valid shot, follow-ups
compose, save warns, scene switches are announced (and asked for), Ctrl-C keeps the best shot so far."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from agentvision.camera import Camera
from agentvision.chat.options import ChatOptions
from agentvision.chat.session import ChatSession
from agentvision.photoflow.loop import PhotoResult
from agentvision.photoflow.refine import nearest_valid

pytestmark = pytest.mark.slow  # real searches: about a second per shot


class Session:
    """A chat session with a tiny budget whose console output is read back per request."""

    def __init__(self, folder: Path):
        folder.mkdir()
        self.buffer = io.StringIO()
        options = ChatOptions(rounds=2, refine_rounds=2, candidates=3, width=160, images="none")
        self.chat = ChatSession(folder, Console(file=self.buffer, width=400), options)

    def say(self, line: str) -> str:
        start = len(self.buffer.getvalue())
        self.chat.handle(line)
        return self.buffer.getvalue()[start:]


def test_follow_ups_compose(tmp_path):
    s = Session(tmp_path / "s")
    # A subject the room lets an 85 mm lens frame from a step back (an armchair seen from the far wall cannot be:
    # with the asked lens kept, that follow-up rightly ends "no camera near it keeps every rule")
    s.say("the coffee table")
    s.say("a bit lower")
    out = s.say("try 85mm")
    assert "keeping 'a bit lower'" in out
    first, lower, tele = s.chat.shots
    assert tele.result.camera.focal_mm == pytest.approx(85)
    # 85 mm keeps the lower camera: at least half of the first change stays.
    asked = lower.result.camera.position[2] - first.result.camera.position[2]
    assert asked < -0.1 and tele.result.camera.position[2] - first.result.camera.position[2] <= asked / 2
    keepers = [c for c in tele.result.scores["checks"] if c["name"] == "keeps_change"]
    assert len(keepers) == 2 and all(c["passed"] for c in keepers)
    assert any("a bit lower" in c["message"] for c in keepers)


def test_a_broken_follow_up_says_why_and_save_warns(tmp_path, monkeypatch):
    import agentvision.photoflow.builtin.reviewer as reviewer

    s = Session(tmp_path / "s")
    s.say("the potted plant in the staircase")
    real_rules = reviewer.rules

    def blind_rules(state, facts):  # the follow-up's every candidate loses sight of the subject
        checks, critiques = real_rules(state, facts)
        for check in checks:
            if check.name == "subject_visible":
                check.passed = False
        return checks, critiques

    monkeypatch.setattr(reviewer, "rules", blind_rules)
    out = s.say("much more to the left")
    monkeypatch.setattr(reviewer, "rules", real_rules)
    assert "why: subject_visible" in out
    assert "nearest valid shot" in out or "no camera near it keeps every rule" in out
    broken = next(shot for shot in s.chat.shots if shot.broken)
    if s.chat.shots[-1] is not broken:  # the nearest valid shot was photographed after it
        assert not s.chat.shots[-1].broken
    s.chat.photos.append(broken.photo)  # make the broken one the latest photo
    out = s.say(f"save it as {tmp_path / 'kept.png'}")
    assert f"warning: shot {broken.number} breaks a hard rule" in out and (tmp_path / "kept.png").is_file()


def test_an_unknown_object_after_a_shot_lists_what_scenes_hold(tmp_path):
    s = Session(tmp_path / "s")
    s.say("the armchair")
    out = s.say("the unicorn")
    assert "could not match 'unicorn'" in out and "armchair" in out and "To refine shot 1" in out


def test_scene_switches_are_announced_and_asked_for(tmp_path):
    s = Session(tmp_path / "s")
    s.say("shoot the staircase at dusk")
    out = s.say("the potted plant")
    assert "staying in staircase" in out and s.chat.shots[-1].result.blueprint.scene == "staircase"
    out = s.say("the potted plant in the living room")
    assert "switching from staircase to living_room (as asked" in out
    out = s.say("the sculpture")
    assert "switching from living_room to gallery (living_room has nothing by that name" in out
    assert [shot.result.blueprint.scene for shot in s.chat.shots] == [
        "staircase",
        "staircase",
        "living_room",
        "gallery",
    ]


def test_ctrl_c_keeps_the_best_shot_so_far(tmp_path):
    s = Session(tmp_path / "s")
    inner = s.chat.builtin.progress

    def interrupt_in_round_two(event, data):
        inner(event, data)
        if event == "round" and data["round"] == 1:
            raise KeyboardInterrupt

    s.chat.builtin.progress = interrupt_in_round_two
    s.chat.options.rounds = 5
    out = s.say("the armchair")
    assert "the best shot so far is kept as shot 1" in out
    (shot,) = s.chat.shots
    assert shot.result.interrupted and shot.photo.is_file()


def test_nearest_valid_picks_the_closest_camera_breaking_nothing_but_the_change():
    start = Camera((0, 0, 1.0), (5, 0, 1.0))
    near = Camera((0.3, 0, 1.0), (5, 0, 1.0))
    far = Camera((2.0, 0, 1.0), (5, 0, 1.0))
    hidden = Camera((0.1, 0, 1.0), (5, 0, 1.0))

    def review(cid, *broken):
        checks = [{"name": n, "hard": True, "passed": n not in broken} for n in ("subject_visible", "keeps_change")]
        return {"event": "review", "candidate_id": cid, "total": 5.0, "checks": checks}

    trace = [
        {"event": "proposal", "id": "s", "origin": "start", "camera": start.to_dict()},
        {"event": "proposal", "id": "n", "origin": "refine", "camera": near.to_dict()},
        {"event": "proposal", "id": "f", "origin": "refine", "camera": far.to_dict()},
        {"event": "proposal", "id": "h", "origin": "refine", "camera": hidden.to_dict()},
        review("s", "subject_visible"),
        review("h", "subject_visible"),
        review("f"),
        review("n", "keeps_change"),
    ]
    result = PhotoResult(None, None, None, None, None, trace, "photoflow", 4)
    camera, chosen = nearest_valid(result)
    assert camera.position == near.position and chosen["candidate_id"] == "n"
    assert nearest_valid(PhotoResult(None, None, None, None, None, trace[:5], "photoflow", 1)) is None
