"""The frame's edges: small things cut awkwardly by them cost composition, and the built-in Director proposes the
incumbent turned or stepped a little until they are whole or gone (photoflow.builtin.edge_views)."""

from __future__ import annotations

import numpy as np

from agentvision.camera import Camera
from agentvision.photoflow.builtin.director import BuiltinDirector
from agentvision.photoflow.builtin.edge_views import edge_view, panned, stepped
from agentvision.photoflow.builtin.intent import parse_intent
from agentvision.photoflow.builtin.review_facts import awkward_edges
from agentvision.photoflow.builtin.reviewer import BuiltinReviewer
from agentvision.photoflow.records import Candidate, Reflection, Shot
from agentvision.photoflow.scoring import score_camera
from agentvision.photoflow.search import Budget, SearchState
from agentvision.render import RenderSettings, get_renderer
from agentvision.scene.library import load_scene
from agentvision.scene.visibility import in_frame_whole, item_mesh, object_ids

INTENT = "shoot the staircase at dusk"
# The headline's photo until this change: a potted plant cut at the right edge, a sliver of the pendant at the top.
CUT = Camera(
    position=(6.208, 1.282, 1.6), look_at=(3.170, 3.780, 1.702), focal_mm=16.0, aspect="4:3", width=320, upright=True
)


def _state() -> SearchState:
    scene = load_scene("staircase", "dusk")
    bp = parse_intent(INTENT, scene)
    return SearchState.start(bp.intent, scene, bp, Budget(6, 4), 0)


def _edges(state: SearchState, cam: Camera) -> dict[str, float]:
    ids = object_ids(state.scene, cam)
    mask = np.isin(ids, [state.scene.index(n) for n in state.subject.names])
    return awkward_edges(state.scene, cam, ids, mask, set())


def _with_incumbent(state: SearchState, cam: Camera) -> SearchState:
    cand = Candidate("r00c1", 0, cam, "anchor", "")
    result = get_renderer("raycast").render(state.scene, cam, RenderSettings.preview())
    state.incumbent = Shot(cand, result, BuiltinReviewer().review_one(state, cand, result))
    return state


def test_small_things_cut_by_the_edges_are_awkward_big_ones_are_the_setting():
    state = _state()
    assert _edges(state, CUT) == {"pendant_light": 0.5, "potted_plant": 1.0}  # a sliver, and a plant cut through
    assert _edges(state, panned(CUT, -10.0)) == {}  # turned right: the plant whole, the pendant out
    assert "landing" not in _edges(state, CUT)  # cut at the left edge too, but too big to frame whole: the setting


def test_the_reviewer_counts_awkward_edges():
    cut = score_camera(INTENT, "staircase", CUT)
    clean = score_camera(INTENT, "staircase", panned(CUT, -10.0))
    assert cut.features["composition"]["edges"] < 0.5 <= clean.features["composition"]["edges"] == 1.0
    assert "potted plant cut awkwardly" in cut.review.reasons["composition"]
    assert "awkward_edges" in cut.review.critiques and "awkward_edges" not in clean.review.critiques


def test_edge_view_turns_the_incumbent_until_its_edges_are_clean():
    state = _with_incumbent(_state(), CUT)
    view = edge_view(state)
    assert view is not None
    assert sum(_edges(state, view.with_width(320)).values()) < 1.5
    assert in_frame_whole(view, item_mesh(state.scene, "staircase"))  # the subject stays whole
    assert edge_view(_with_incumbent(_state(), panned(CUT, -10.0))) is None  # a clean incumbent gets none


def test_stepped_moves_sideways_and_keeps_the_aim_parallel():
    moved = stepped(CUT, 0.5, 0.0)
    assert np.isclose(np.linalg.norm(np.subtract(moved.position, CUT.position)), 0.5)
    assert np.allclose(np.subtract(moved.look_at, moved.position), np.subtract(CUT.look_at, CUT.position))
    right = np.cross(CUT.forward, [0.0, 0.0, 1.0])
    assert np.subtract(moved.position, CUT.position) @ right > 0.49  # to the camera's right


def test_the_director_proposes_the_edge_view_with_its_own_aim():
    state = _with_incumbent(_state(), CUT)
    director = BuiltinDirector()
    director.scout(state)
    state.round = 1
    state.reflection = Reflection([], False, "", {})
    proposed = {c.origin: c for c in director.propose(state, 4)}
    assert "edges" in proposed
    assert proposed["edges"].camera.look_at == edge_view(state).with_width(state.budget.preview_width).look_at
