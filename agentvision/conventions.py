"""Every convention agentvision relies on, stated once.

Axes and units
    World space is right-handed, metres, **Z up**. The ground (or a room's floor) is a plane of
    constant Z. Azimuths are measured in the XY plane, counter-clockwise from +X, in degrees.

Files
    glTF is Y up. A glTF point (x, y, z) becomes (x, -z, y) in our world, exactly as Blender's
    importer converts it; export applies the inverse. OBJ, PLY and STL carry no axis convention:
    OBJ is treated like glTF (Y up, the de-facto convention of the format), PLY and STL are taken
    as Z up.

Camera frames
    The camera frame is OpenCV's: x right, y down, z forward (the optical axis). Pixel (u, v) has
    its centre at (u + 0.5, v + 0.5); u grows to the right, v grows downward. Depth is the
    camera-space z of the hit point (distance along the optical axis), +inf where nothing is hit.
    OpenGL's camera frame (x right, y up, -z forward) is used only inside the gl engine.

Colour
    Materials, lights and the sky are linear-light RGB in [0, 1] (intensities may exceed 1).
    Renderers shade in linear light, tone-map and encode to sRGB 8-bit at the very end.
    Emissive colours are linear RGB scaled by their strength. Luminance is Rec. 709: ``REC709_LUMA``
    weights on linear RGB.

Textures
    Texture coordinates are glTF's: (0, 0) is an image's top-left corner, v grows down the image
    (OBJ's and trimesh's v-up coordinates are flipped on load). They are stored per face corner
    (``scene.model.UV``), as Blender stores them, so seams need no split vertices. Colour maps are
    sRGB-encoded and decoded after filtering, data maps (normal, metallic-roughness) are linear;
    normal maps are tangent space with +Y up the image (OpenGL, glTF). Sampling is in
    :mod:`agentvision.scene.textures`.

Instance ids
    Renderers return an int32 map holding each pixel's object index in ``Scene.objects``;
    ``BACKGROUND_ID`` (-1) where the ray hits nothing.
"""

from __future__ import annotations

import numpy as np

UP = np.array([0.0, 0.0, 1.0])
BACKGROUND_ID = -1

# (x, y, z)_gltf -> (x, -z, y)_world: a +90 degree rotation about X.
Y_UP_TO_Z_UP = np.array(
    [
        [1.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, -1.0, 0.0],
        [0.0, 1.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 1.0],
    ]
)
Z_UP_TO_Y_UP = Y_UP_TO_Z_UP.T.copy()

# Formats whose files are Y up (converted with Y_UP_TO_Z_UP on load).
Y_UP_FORMATS = {"gltf", "glb", "obj"}

# Rec. 709 luminance weights (Y = r * R + g * G + b * B on linear RGB).
REC709_LUMA = (0.2126, 0.7152, 0.0722)

# OpenCV camera frame -> OpenGL camera frame (flip y and z).
CV_TO_GL = np.diag([1.0, -1.0, -1.0])


def srgb_to_linear(c: np.ndarray | float) -> np.ndarray:
    """sRGB-encoded values in [0, 1] to linear light."""
    c = np.asarray(c, dtype=np.float64)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(c: np.ndarray) -> np.ndarray:
    """Linear light in [0, 1] to sRGB-encoded values in [0, 1]."""
    c = np.clip(np.asarray(c, dtype=np.float32), 0.0, 1.0)
    return np.where(c <= 0.0031308, c * 12.92, 1.055 * np.power(c, 1 / 2.4) - 0.055)


def hex_to_linear(code: str) -> tuple[float, float, float]:
    """'#rrggbb' (sRGB, as designers write colours) to a linear RGB tuple."""
    code = code.lstrip("#")
    srgb = np.array([int(code[i : i + 2], 16) / 255.0 for i in (0, 2, 4)])
    return tuple(float(v) for v in srgb_to_linear(srgb))


def direction_from_angles(azimuth_deg: float, elevation_deg: float) -> np.ndarray:
    """Unit vector for an azimuth (CCW from +X) and an elevation above the XY plane."""
    az, el = np.radians(azimuth_deg), np.radians(elevation_deg)
    return np.array([np.cos(el) * np.cos(az), np.cos(el) * np.sin(az), np.sin(el)])
