"""Shared fixtures: a small hand-built scene with known geometry."""

from __future__ import annotations

import pytest
import trimesh

from agentvision.render import RendererError, get_renderer
from agentvision.scene.model import Lamp, Material, Scene, SceneObject


def box(size, centre):
    m = trimesh.creation.box(size)
    m.apply_translation(centre)
    return m


@pytest.fixture
def toy_scene() -> Scene:
    """A ground plane, a red box, a blue ball and a small lamp (unlit: apply a preset)."""
    ball = trimesh.creation.icosphere(3, 0.5)
    ball.apply_translation((1.5, 0.5, 0.5))
    bulb = trimesh.creation.icosphere(2, 0.1)
    bulb.apply_translation((-1.5, 1.0, 1.0))
    objects = [
        SceneObject("ground", "ground", box((10, 10, 0.1), (0, 0, -0.05)), Material((0.3, 0.27, 0.22))),
        SceneObject("red_box", "box", box((1, 1, 1), (0, 0, 0.5)), Material((0.5, 0.08, 0.05), 0.5)),
        SceneObject("blue_ball", "ball", ball, Material((0.05, 0.15, 0.5), 0.3)),
        SceneObject("lamp", "lamp", bulb, Material((0.9, 0.9, 0.9), emissive=(4.0, 3.0, 1.5))),
    ]
    return Scene("toy", objects, lamps=[Lamp("lamp", (-1.5, 1.0, 1.0), intensity=3.0)])


@pytest.fixture(scope="module")
def gl():
    """The gl engine, or a skip saying why it cannot run here."""
    try:
        return get_renderer("gl")
    except RendererError as exc:
        pytest.skip(f"no OpenGL platform for the gl engine here: {exc}")
