"""PhotoFlow: roles, region memory, strategies, the loop's outputs and its bad-input handling."""

import json

import numpy as np
import pytest

from agentvision.camera import Camera
from agentvision.cli import main
from agentvision.photoflow.builtin.anchors import relation_direction, subject_first_views, valid_positions
from agentvision.photoflow.builtin.director import BuiltinDirector
from agentvision.photoflow.builtin.reflector import BuiltinReflector
from agentvision.photoflow.builtin.reviewer import BuiltinReviewer
from agentvision.photoflow.loop import run_photoflow
from agentvision.photoflow.memory import RegionMemory
from agentvision.photoflow.records import Candidate, Direction, Review, RoundRecord, RuleCheck, Shot
from agentvision.photoflow.search import Budget, SearchState
from agentvision.photoflow.strategies import STRATEGIES
from agentvision.render import RenderSettings, render_scene
from agentvision.scene.library import library_scene
from agentvision.scene.lighting import apply_time_of_day
from agentvision.scene.queries import clearance
from agentvision.scene.visibility import object_ids
from agentvision.vision.composition import placement_score

SMALL = Budget(rounds=2, candidates=2, preview_width=96, final_width=160)


@pytest.fixture(scope="module")
def living():
    return library_scene("living_room")


def start(scene, intent, budget=SMALL, seed=0):
    director = BuiltinDirector()
    bp = director.plan(intent, scene)
    state = SearchState.start(intent, apply_time_of_day(scene, bp.time_of_day), bp, budget, seed)
    director.scout(state)
    return director, state


def shoot(state, cam, cid="x"):
    cand = Candidate(cid, state.round, cam.with_width(96), "test")
    return cand, render_scene(state.scene, cand.camera, RenderSettings.preview())


def test_anchor_bank_is_clear_inside_the_room_and_spread(living):
    _, state = start(living, "the sofa")
    assert len(state.anchors) >= 8
    pts = np.array([a.camera.position for a in state.anchors])
    assert all(clearance(state.scene, p) >= 0.3 - 1e-6 for p in pts[:20])
    assert valid_positions(state, pts).all()
    lo, hi = state.room.lo, state.room.hi
    assert ((pts[:, :2] > lo[:2]) & (pts[:, :2] < hi[:2])).all()
    azimuths = {round(a.azimuth_deg) for a in state.anchors}
    assert len(azimuths) >= 4
    assert "map" in state.scout and "overview" in state.scout


def test_first_proposals_are_diverse_full_cameras(living):
    director, state = start(living, "the sofa", Budget(rounds=1, candidates=4, preview_width=96))
    cands = director.propose(state, 4)
    assert len(cands) == 4 and len({c.id for c in cands}) == 4
    assert all(isinstance(c.camera, Camera) and c.camera.aspect in state.blueprint.aspects for c in cands)
    pos = np.array([c.camera.position for c in cands])
    assert np.min(np.linalg.norm(pos[:, None] - pos[None], axis=-1) + np.eye(4) * 99) > 0.3


def _share(state, cam, names):
    ids = [state.scene.index(n) for n in names]
    return float(np.isin(object_ids(state.scene, cam.with_width(160)), ids).mean())


def test_a_small_subject_before_a_big_background_gets_framed_on_its_own():
    courtyard = library_scene("courtyard")
    budget = Budget(rounds=3, candidates=4, preview_width=96)
    director, state = start(courtyard, "a teak bench with the fountain in the background", budget)
    views = subject_first_views(state)
    assert views, "a bench before a fountain should get per-subject views"
    u = relation_direction(state)
    for cam in views:
        assert valid_positions(state, np.array([cam.position])).all()
        assert float((np.asarray(cam.position) - state.subject.centre)[:2] @ u) > 0  # the fountain is behind
    names, fountain = state.subject.names, ["fountain"]
    for a in state.anchors[:4]:  # the anchors frame the bench itself, from the far side, the fountain behind it
        assert float((np.asarray(a.camera.position) - state.subject.centre)[:2] @ u) > 0
        assert _share(state, a.camera, names) > 0.03 and _share(state, a.camera, fountain) > 0.02
    assert _share(state, views[0], fountain) > 0.01  # the per-subject view keeps the fountain in it too
    # Only a multi-candidate round spends a candidate on it: single-chain's one proposal is the anchor.
    assert any(c.origin == "subject" for c in director.propose(state, 4))
    _, state1 = start(courtyard, "a teak bench with the fountain in the background", budget)
    assert [c.origin for c in director.propose(state1, 1)] == ["anchor"]


def test_no_per_subject_views_without_a_background(living):
    _, state = start(living, "the sofa")
    assert subject_first_views(state) == []
    assert BuiltinDirector._subject_zoom(state) is None


def test_zoom_brings_a_small_subject_up_and_keeps_it_whole():
    courtyard = library_scene("courtyard")
    _, state = start(courtyard, "a teak bench with the fountain in the background")
    reviewer = BuiltinReviewer()
    cand, result = shoot(state, state.anchors[0].camera)
    state.incumbent = Shot(cand, result, reviewer.review_one(state, cand, result))
    assert state.incumbent.review.facts["coverage"] < 0.5 * state.incumbent.review.facts["target_coverage"]
    zoom = BuiltinDirector._subject_zoom(state)
    assert zoom is not None and zoom.focal_mm > cand.camera.focal_mm
    assert zoom.position == cand.camera.position
    lo, hi = state.subject.lo, state.subject.hi
    corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])])
    uv, _ = zoom.project(corners)
    assert ((uv >= 0) & (uv <= [zoom.width, zoom.height])).all()


def test_moves_change_the_camera_as_asked(living):
    director, state = start(living, "the sofa")
    cam = state.anchors[0].camera
    centre = state.subject.centre
    closer = director.apply(state, cam, [Direction("closer", 0.3)])
    d0, d1 = (np.linalg.norm(np.subtract(c.position, centre)) for c in (cam, closer))
    assert d1 < d0 or closer.focal_mm > cam.focal_mm  # blocked moves turn into a longer lens
    assert director.apply(state, cam, [Direction("longer_lens", 0.5)]).focal_mm == pytest.approx(cam.focal_mm * 1.5)
    rolled = Camera.from_dict({**cam.to_dict(), "roll_deg": 7})
    assert director.apply(state, rolled, [Direction("level")]).roll_deg == 0.0


def test_an_asked_focal_length_survives_the_reflectors_moves(living):
    from agentvision.photoflow.builtin.reflector import feasible

    director, state = start(living, "the sofa, 35mm")
    cam = state.anchors[0].camera
    assert cam.focal_mm == 35
    moves = [Direction("wider_lens", 0.4), Direction("longer_lens", 0.4), Direction("farther", 0.6)]
    assert director.apply(state, cam, moves).focal_mm == 35  # a blocked step does not turn into a lens change
    assert all(d.kind not in ("wider_lens", "longer_lens") for d in feasible(state, cam, moves))
    _, free = start(living, "the sofa")
    assert director.apply(free, cam, [Direction("wider_lens", 0.4)]).focal_mm == pytest.approx(25)


def test_reviewer_rules_catch_bad_cameras(living):
    _, state = start(living, "the sofa")
    reviewer = BuiltinReviewer()
    good = state.anchors[0].camera
    sofa = state.scene.get("sofa").centroid
    away = Camera(good.position, tuple(2 * np.asarray(good.position) - sofa), width=96)
    inside = Camera(tuple(sofa + [0, 0, 0.05]), tuple(sofa + [1, 0, 0]), width=96)
    reviews = reviewer.review(
        state, [shoot(state, good, "good"), shoot(state, away, "away"), shoot(state, inside, "in")]
    )
    assert reviews[0].valid, reviews[0].to_dict()
    assert not next(c for c in reviews[1].checks if c.name == "subject_visible").passed
    assert not next(c for c in reviews[2].checks if c.name == "camera_clear").passed
    assert "subject_not_visible" in reviews[1].critiques
    assert reviews[0].total > reviews[1].total and reviews[0].total > reviews[2].total
    for r in reviews:
        assert set(r.scores) == {"composition", "technical", "aesthetics", "alignment"}
        assert all(0 <= v <= 10 for v in r.scores.values()) and all(r.reasons.values())


def test_a_subject_asked_alone_costs_other_things_in_the_frame():
    """ "The marble figure on its own": a view that holds the other sculptures and the bench scores lower than it does
    for "the marble figure" (it had scored the same); "just the wall lamp on" is not a subject alone."""
    from agentvision.photoflow.builtin.intent import parse_intent
    from agentvision.photoflow.scoring import score_camera

    cam = {"position": [6.5, 5.5, 1.6], "look_at": [3.6, 3.8, 1.2], "focal_mm": 24.0, "aspect": "3:2"}
    plain, alone = (score_camera(i, "gallery", cam) for i in ("the marble figure", "the marble figure on its own"))
    assert alone.review.facts["others_share"] > 0.05
    assert alone.review.scores["alignment"] < plain.review.scores["alignment"] - 0.5
    staircase, parlour = library_scene("staircase"), library_scene("parlour")
    lamps_on = "nighttime shot of the stairs with just the wall lamp and pendant light on"
    assert not parse_intent(lamps_on, staircase).alone
    assert parse_intent("the little painted stool on its own, shot low", parlour).alone
    assert parse_intent("just the worn old bookshelf, morning light", parlour).alone
    assert not parse_intent("stand just west of the dresser and shoot the bookshelf", parlour).alone


def test_pairwise_selection_needs_a_clear_win(living):
    _, state = start(living, "the sofa")
    reviewer = BuiltinReviewer()
    c, r = shoot(state, state.anchors[0].camera, "a")
    shot = Shot(c, r, reviewer.review_one(state, c, r))
    assert reviewer.compare(state, shot, shot).winner == "incumbent"  # a tie keeps the incumbent
    c2, r2 = shoot(state, Camera(c.camera.position, (0, 0, 50), width=96), "b")
    bad = Shot(c2, r2, reviewer.review_one(state, c2, r2))
    assert reviewer.compare(state, bad, shot).winner == "challenger"


def test_region_memory_marks_and_counts():
    mem = RegionMemory(np.zeros(3), np.ones(3) * 4, 1.0)
    assert mem.shape == (4, 4, 4) and mem.counts()["unknown"] == 64
    mem.mark((0.5, 0.5, 0.5), "dead")
    mem.mark((2.5, 0.5, 0.5), "promising", 8.0)
    mem.mark((2.6, 0.6, 0.6), "dead")  # seen good from there once: stays promising
    assert mem.is_dead((0.2, 0.9, 0.1)) and not mem.is_dead((2.5, 0.5, 0.5))
    assert mem.promising()[0] == ((2, 0, 0), 8.0)
    assert mem.counts() == {"dead": 1, "promising": 1, "tried": 0, "unknown": 62}


def test_reflector_turns_critiques_into_moves_and_explores_when_stuck(living):
    director, state = start(living, "the sofa")
    reviewer, reflector = BuiltinReviewer(), BuiltinReflector()
    far = state.anchors[0].camera
    far = Camera.from_dict({**far.to_dict(), "focal_mm": 16})
    c, r = shoot(state, far, "r00c1")
    shot = Shot(c, r, reviewer.review_one(state, c, r))
    state.incumbent = shot
    record = RoundRecord(0, [shot], "r00c1", None, None)
    state.rounds.append(record)
    ref = reflector.reflect(state, record)
    if "subject_too_small" in shot.review.critiques:  # closer, or a longer lens where there is no room to step in
        assert any(d.kind in ("closer", "longer_lens") for d in ref.directions)
    assert ref.memory["promising"] + ref.memory["tried"] + ref.memory["dead"] >= 1
    assert not ref.explore
    state.stale_rounds = 2
    assert reflector.reflect(state, record).explore
    # every proposal failing also forces exploration
    c2, r2 = shoot(state, Camera(far.position, (0, 0, 50), width=96), "r00c2")
    failing = Shot(c2, r2, reviewer.review_one(state, c2, r2))
    state.stale_rounds = 0
    assert reflector.reflect(state, RoundRecord(0, [failing], "r00c1", None, None)).explore


@pytest.mark.parametrize("strategy", list(STRATEGIES))
def test_each_strategy_runs_on_the_budget(living, strategy, tmp_path):
    result = run_photoflow("the armchair", living, budget=SMALL, strategy=strategy, out_dir=tmp_path, seed=1)
    expected = {"one-shot": 1, "single-chain": SMALL.rounds}.get(strategy, SMALL.renders)
    assert result.renders == expected
    assert result.photo is not None and result.photo.size == (160, result.camera.height)
    assert (tmp_path / "photo.png").exists()


def test_run_folder_files(living, tmp_path):
    result = run_photoflow("the coffee table at dusk", living, scene_ref="living_room", budget=SMALL, out_dir=tmp_path)
    info = json.loads((tmp_path / "camera.json").read_text())
    assert set(info) >= {"camera", "scene", "time_of_day", "blueprint", "scores"}
    assert info["scene"] == "living_room" and info["time_of_day"] == "dusk"
    assert set(info["camera"]) >= {"position", "look_at", "roll_deg", "focal_mm", "f_number", "aspect", "width"}
    assert Camera.from_dict(info["camera"]) == result.camera
    assert sorted(p.name for p in (tmp_path / "rounds").glob("round-*.png")) == ["round-00.png", "round-01.png"]
    events = [json.loads(line)["event"] for line in (tmp_path / "trace.jsonl").read_text().splitlines()]
    for e in ("blueprint", "proposal", "render", "review", "selection", "reflection", "final_render", "done"):
        assert e in events
    report = (tmp_path / "report.md").read_text()
    assert "the coffee table at dusk" in report and "![photo](photo.png)" in report and "| round |" in report


@pytest.mark.parametrize("strategy", ["photoflow", "random"])
def test_eye_level_photos_keep_verticals_vertical_and_a_low_angle_converges(living, strategy):
    level = run_photoflow("the bookshelf", living, budget=SMALL, strategy=strategy, seed=2)
    assert level.blueprint.angle == "eye_level" and level.camera.upright  # every strategy's cameras
    assert level.camera.forward[2] == pytest.approx(0.0, abs=1e-6) or abs(level.camera.pitch_deg) > 20
    low = run_photoflow("a low angle shot of the bookshelf", living, budget=SMALL, strategy=strategy, seed=2)
    assert low.blueprint.angle == "low" and not low.camera.upright


def test_a_lens_fitted_to_an_upright_camera_frames_the_subject_as_a_tilted_one():
    from agentvision.photoflow.builtin.framing import fit_focal
    from agentvision.photoflow.search import subject_of

    gallery = library_scene("gallery")
    knot = subject_of(gallery, ["sculpture_1"])  # looked down on by 9 degrees: the upright lens falls
    tilted = Camera((5.3, 3.5, 1.6), tuple(knot.centre), focal_mm=50, aspect="16:9", width=320)
    upright = tilted.replace(upright=True)
    assert upright.shift_px[1] > 10
    assert fit_focal(upright, knot, 0.6) == pytest.approx(fit_focal(tilted, knot, 0.6), rel=0.05)


def test_same_seed_same_photo(living):
    a = run_photoflow("the bookshelf", living, budget=SMALL, seed=3)
    b = run_photoflow("the bookshelf", living, budget=SMALL, seed=3)
    assert a.camera == b.camera
    assert np.array_equal(np.asarray(a.photo), np.asarray(b.photo))


def test_interrupt_keeps_the_incumbent(living, tmp_path):
    class StopInRoundTwo(BuiltinReviewer):
        def review(self, state, shots):
            if state.round == 1:
                raise KeyboardInterrupt
            return super().review(state, shots)

    result = run_photoflow("the tv", living, budget=SMALL, reviewer=StopInRoundTwo(), out_dir=tmp_path)
    assert result.interrupted and result.renders == SMALL.candidates
    assert (tmp_path / "photo.png").exists() and "Interrupted" in (tmp_path / "report.md").read_text()


def test_cli_photo_json_and_bad_input(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "run"
    code = main(
        [
            "photo",
            "the rug",
            "--scene",
            "living_room",
            "--rounds",
            "1",
            "--candidates",
            "2",
            "--width",
            "160",
            "--final-renderer",
            "raycast",
            "--out",
            str(out),
            "--json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == (0 if data["valid"] else 5)  # 5: the best photo breaks a hard rule (it is written anyway)
    assert data["photo"] == str(out / "photo.png") and data["renders"] == 2
    assert main(["photo", "the giraffe", "--scene", "living_room"]) == 2
    err = capsys.readouterr().err
    assert "giraffe" in err and "sofa" in err
    assert not (tmp_path / "runs").exists()  # a refused intent leaves no run folder behind
    assert main(["photo", "the sofa", "--scene", "atlantis"]) == 2
    assert "living_room" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["photo", "the sofa", "--rounds", "0"])
    assert exc.value.code == 2


def test_a_staircase_seen_from_beneath_is_critiqued():
    staircase = library_scene("staircase")
    _, state = start(staircase, "shoot the staircase at dusk")
    reviewer = BuiltinReviewer()
    # Under the flight, looking up at its soffit; and from the hall, seeing its treads.
    beneath = Camera((0.75, 3.33, 1.83), (3.42, 4.72, 2.47), focal_mm=16, aspect="4:3", width=160)
    front = Camera((5.79, 1.70, 1.27), (3.78, 4.50, 0.49), focal_mm=16, aspect="4:3", width=160)
    under, open_side = (reviewer.review_one(state, *shoot(state, cam)) for cam in (beneath, front))
    assert under.facts["underside"] > 0.5 > 0.1 > open_side.facts["underside"]
    assert "seen_from_beneath" in under.critiques and "seen_from_beneath" not in open_side.critiques
    assert under.scores["aesthetics"] < open_side.scores["aesthetics"]


def test_an_asked_dusk_must_show_and_an_unasked_placement_may_be_a_third():
    """The same hall view, one with the landing window's violet sky and the lamps, one of a bare wall:
    "at dusk" asked, the one where the dusk shows is the better match; unasked, a staircase on a third
    is not off-placement."""
    staircase = library_scene("staircase")
    reviewer = BuiltinReviewer()
    window = Camera((6.2, 0.4, 1.6), (1.8, 3.3, 2.6), focal_mm=17, aspect="3:2", width=160)
    bare = Camera((4.75, 0.55, 1.59), (3.6, 4.1, 0.99), focal_mm=16, aspect="16:9", width=160)
    asked, unasked = (start(staircase, text)[1] for text in ("shoot the staircase at dusk", "shoot the staircase"))
    a_window, a_bare = (reviewer.review_one(asked, *shoot(asked, cam)) for cam in (window, bare))
    assert a_window.facts["time_cue"] > a_bare.facts["time_cue"] + 0.2, (
        a_window.facts["time_cue"],
        a_bare.facts["time_cue"],
    )
    assert a_window.scores["alignment"] > a_bare.scores["alignment"]
    unasked.scene = asked.scene  # the same light, so that only the asking differs
    u_bare = reviewer.review_one(unasked, *shoot(unasked, bare))
    assert u_bare.scores["alignment"] > a_bare.scores["alignment"]
    third = reviewer.review_one(unasked, *shoot(unasked, window))
    centred = placement_score(tuple(third.facts["centroid"]), "center")
    assert third.facts["placement_score"] > 0.3 > 0.1 > centred, (third.facts["placement_score"], centred)


def test_a_background_cut_by_the_frame_asks_for_a_wider_view():
    staircase = library_scene("staircase")
    _, state = start(staircase, "the potted plant with the staircase in the background")
    reviewer, reflector = BuiltinReviewer(), BuiltinReflector()
    # Near the plant in the hall's corner, a normal lens: the stairs' foot only, no orbit room by the wall.
    tight = Camera((6.16, 1.69, 1.2), (6.15, 4.15, 0.58), focal_mm=28.4, aspect="3:2", width=160)
    c, r = shoot(state, tight, "r00c1")
    shot = Shot(c, r, reviewer.review_one(state, c, r))
    assert "background_missing" in shot.review.critiques and shot.review.facts["background_seen"]["staircase"] < 1
    state.incumbent = shot
    record = RoundRecord(0, [shot], "r00c1", None, None)
    state.rounds.append(record)
    kinds = {d.kind for d in reflector.reflect(state, record).directions}
    assert kinds & {"farther", "wider_lens"} and "orbit" not in kinds


@pytest.mark.slow
def test_the_vlm_facts_say_when_the_subject_is_seen_from_beneath_and_how_much_background_is_seen():
    from agentvision.photoflow.vlm.facts import candidate_facts

    staircase = library_scene("staircase")
    _, state = start(staircase, "the potted plant with the staircase in the background")
    tight = Camera((6.16, 1.69, 1.2), (6.15, 4.15, 0.58), focal_mm=28.4, aspect="3:2", width=160)
    review = BuiltinReviewer().review_one(state, *shoot(state, tight))
    seen = review.facts["background_seen"]["staircase"]
    assert any(
        f.startswith("background staircase") and f"{25 * seen:.0f}% of its surface seen, needs 25%" in f
        for f in candidate_facts(review, state)
    )
    _, state = start(staircase, "shoot the staircase at dusk")
    beneath = Camera((0.75, 3.33, 1.83), (3.42, 4.72, 2.47), focal_mm=16, aspect="4:3", width=160)
    front = Camera((5.79, 1.70, 1.27), (3.78, 4.50, 0.49), focal_mm=16, aspect="4:3", width=160)
    under, open_side = (BuiltinReviewer().review_one(state, *shoot(state, cam)) for cam in (beneath, front))
    assert any(f.startswith("seen from beneath") for f in candidate_facts(under, state))
    assert not any(f.startswith("seen from beneath") for f in candidate_facts(open_side, state))


def test_an_unasked_steep_look_down_costs_more_than_a_slight_one(living):
    from agentvision.photoflow.builtin.reviewer import features

    reviewer = BuiltinReviewer()
    for intent, asked in (("the sofa", False), ("the sofa from a high angle", True)):
        _, state = start(living, intent)
        cand, result = shoot(state, state.anchors[0].camera)
        facts = reviewer.review_one(state, cand, result).facts
        worst = {
            pitch: features(state, {**facts, "angle": "high", "pitch_deg": pitch})["alignment"]["worst"]
            for pitch in (-18.0, -35.0, -55.0)
        }
        if asked:  # a high angle asked for is met however steep
            assert worst[-18.0] == worst[-35.0] == worst[-55.0]
        else:  # eye level was only the default: a slight look down costs a little, a steep one more
            assert worst[-18.0] > worst[-35.0] > worst[-55.0]


def test_an_opening_decides_the_side_the_camera_stands_on_before_a_vantage():
    from agentvision.photoflow.builtin.anchors import _beyond

    courtyard = library_scene("courtyard")
    _, state = start(courtyard, "the lamp post seen through the archway from just outside it, symmetrical")
    bp = state.blueprint
    assert bp.through == "archway" and bp.vantage == "front"
    assert state.anchors and all(_beyond(state, np.asarray(a.camera.position), "archway") for a in state.anchors)
    cand, result = shoot(state, state.anchors[0].camera)
    checks = {c.name: c for c in BuiltinReviewer().review_one(state, cand, result).checks}
    assert not checks["vantage"].hard  # the opening decided the side: the vantage is a wish, not a rule


def test_an_asked_context_object_cut_by_the_edge_costs_and_asks_for_a_wider_view(living):
    from agentvision.photoflow.builtin.reflector import MOVES
    from agentvision.photoflow.builtin.reviewer import features, rules

    reviewer = BuiltinReviewer()
    _, state = start(living, "the sofa with the painting above it")
    cand, result = shoot(state, state.anchors[0].camera)
    facts = reviewer.review_one(state, cand, result).facts
    whole = {**facts, "context_visible": {"painting": 1.0}, "related_in_frame": {"painting": 1.0}}
    cut = {**whole, "related_in_frame": {"painting": 0.7}}
    assert features(state, cut)["alignment"]["worst"] < features(state, whole)["alignment"]["worst"]
    assert "context_cut" in rules(state, cut)[1] and "context_cut" not in rules(state, whole)[1]
    assert MOVES["context_cut"].kind == "farther"


def test_a_close_up_may_crop_its_context():
    from agentvision.photoflow.builtin.reviewer import features, rules

    parlour = library_scene("parlour")
    # "with the table": context ("on the little table" is where the tea set stands, no context, since c863e29)
    _, state = start(parlour, "close-up of the tea set with the little table, 100mm")
    assert state.blueprint.shot_size == "close_up" and state.blueprint.context == ["table"]
    cand, result = shoot(state, state.anchors[0].camera)
    facts = BuiltinReviewer().review_one(state, cand, result).facts
    whole = {**facts, "context_visible": {"table": 1.0}, "related_in_frame": {"table": 1.0}}
    cut = {**whole, "related_in_frame": {"table": 0.6}}
    assert features(state, cut)["alignment"] == features(state, whole)["alignment"]
    assert "context_cut" not in rules(state, cut)[1]


def test_of_two_shots_that_break_hard_rules_the_one_breaking_fewer_wins():
    def shot(cid: str, total_score: float, broken: list[str]) -> Shot:
        checks = [RuleCheck(name, False, None, f"{name} broken") for name in broken]
        checks.append(RuleCheck("exposure", True, 0.5, "ok"))
        scores = dict.fromkeys(("composition", "technical", "aesthetics", "alignment"), total_score)
        review = Review(cid, checks, scores, {})
        return Shot(Candidate(cid, 0, None, "anchor"), None, review)

    one, two = shot("r00c1", 5.0, ["avoid"]), shot("r00c2", 9.0, ["avoid", "facing"])
    assert (one.review.broken, two.review.broken) == (1, 2) and two.review.total > one.review.total
    reviewer = BuiltinReviewer()
    assert reviewer.compare(None, incumbent=two, challenger=one).winner == "challenger"
    assert reviewer.compare(None, incumbent=one, challenger=two).winner == "incumbent"
