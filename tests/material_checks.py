"""Comparing materials whose textures are equal but not the same objects (a file loaded twice, a round trip)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from agentvision.scene.model import Material


def assert_same_material(b: Material, a: Material, name: str) -> None:
    """Equal materials; their maps equal pixel for pixel (a loaded copy is a new Texture) and mean colours close."""

    def plain(m: Material) -> Material:
        return replace(m, **{k: None for k in m.maps}, mean_color=None)

    assert plain(b) == plain(a), name
    assert b.maps.keys() == a.maps.keys(), name
    for key, texture in a.maps.items():
        copy = b.maps[key]
        assert (copy.srgb, copy.wrap) == (texture.srgb, texture.wrap), (name, key)
        np.testing.assert_array_equal(copy.pixels, texture.pixels, err_msg=f"{name} {key}")
    # the mean colour is an estimate (surface samples on load; the whole map for a library finish)
    np.testing.assert_allclose(b.color, a.color, atol=0.01, err_msg=name)
