"""Camera state and every conversion to intrinsics, extrinsics, rays and projections.

A :class:`Camera` is the executable state a photographer searches over: where it stands, what it
looks at, how it is rolled, the lens (35 mm-equivalent focal length), the aperture and the frame.
The sensor is 36 mm along the image's longer side, so the field of view along that side is
``2 * atan(18 / focal_mm)``. A positive ``roll_deg`` turns the image clockwise as the viewer sees
it. Frames follow :mod:`agentvision.conventions` (OpenCV camera frame, Z-up world).

An ``upright`` camera keeps vertical lines vertical, as an architectural photographer's shift lens
does: the sensor stays level (its optical axis horizontal) and the lens rises or falls so that
``look_at`` is still at the centre of the frame. The shift is at most ``MAX_SHIFT`` of the frame's
height; a camera aimed more steeply tilts by the rest. Its principal point then lies off the image
centre (by whole pixels), which every conversion below takes into account.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from agentvision.conventions import CV_TO_GL, UP, Z_UP_TO_Y_UP, direction_from_angles
from agentvision.errors import InputError

SENSOR_LONG_MM = 36.0

# Frame shapes as width:height. Portrait frames are written with the taller ratio.
ASPECTS = {
    "16:9": 16 / 9,
    "9:16": 9 / 16,
    "3:2": 3 / 2,
    "2:3": 2 / 3,
    "4:3": 4 / 3,
    "3:4": 3 / 4,
    "1:1": 1.0,
    "5:4": 5 / 4,
    "4:5": 4 / 5,
    "21:9": 21 / 9,
    "9:21": 9 / 21,
}


def nearest_aspect(ratio: float) -> str:
    """The named frame (a key of ASPECTS) whose width/height is nearest ``ratio``, in log ratio."""
    return min(ASPECTS, key=lambda k: abs(math.log(ASPECTS[k] / ratio)))


MAX_JSON_CHARS = 1_000_000  # a camera (or a camera.json with its review) is far smaller
# The most an upright camera's lens shifts, as a share of the frame's height (a tilt-shift lens's
# 12 mm on a 24 mm high frame is 0.5; beyond about 0.3 a wide lens stretches the top of the frame).
MAX_SHIFT = 0.3


class CameraError(InputError):
    """A camera state that cannot be used, with what to change."""


def parse_aspect(aspect: str) -> float:
    """'3:2' -> 1.5. Raises CameraError listing the accepted ratios."""
    key = str(aspect).strip().replace("/", ":").replace("x", ":")
    if key not in ASPECTS:
        raise CameraError(f"unknown aspect {aspect!r}; use one of {', '.join(ASPECTS)}")
    return ASPECTS[key]


@dataclass
class Camera:
    """An executable camera state (JSON-compatible; see :meth:`to_json`)."""

    position: tuple[float, float, float]
    look_at: tuple[float, float, float]
    roll_deg: float = 0.0
    focal_mm: float = 35.0
    f_number: float = 8.0
    aspect: str = "3:2"
    width: int = 1920
    upright: bool = False  # level sensor and shifted lens: vertical lines stay vertical (module notes)
    extra: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            self.position = tuple(float(v) for v in self.position)
            self.look_at = tuple(float(v) for v in self.look_at)
            self.roll_deg, self.focal_mm, self.f_number = map(float, (self.roll_deg, self.focal_mm, self.f_number))
            self.width = int(self.width)
        except (TypeError, ValueError, OverflowError):
            raise CameraError(
                "position and look_at need three numbers [x, y, z] in metres; roll_deg, focal_mm, f_number and "
                f"width are numbers; e.g. {EXAMPLE_JSON}"
            ) from None
        if len(self.position) != 3 or len(self.look_at) != 3:
            raise CameraError("position and look_at need three coordinates [x, y, z] in metres")
        if not all(math.isfinite(v) for v in (*self.position, *self.look_at)):
            raise CameraError("position and look_at must be finite numbers")
        if np.linalg.norm(np.subtract(self.look_at, self.position)) < 1e-6:
            raise CameraError("look_at must differ from position (the camera needs a direction)")
        if not math.isfinite(self.roll_deg):
            raise CameraError("roll_deg must be a finite number of degrees")
        if not 4.0 <= self.focal_mm <= 1200.0:
            raise CameraError(f"focal_mm {self.focal_mm} is outside 4..1200 mm (35 mm equivalent)")
        if not 0.5 <= self.f_number <= 64.0:
            raise CameraError(f"f_number {self.f_number} is outside f/0.5..f/64")
        parse_aspect(self.aspect)
        if not 16 <= self.width <= 16384:
            raise CameraError(f"width {self.width} px is outside 16..16384")
        if not isinstance(self.upright, bool | np.bool_):
            raise CameraError(f"upright is true or false, not {self.upright!r}")
        self.upright = bool(self.upright)

    # ----- frame -------------------------------------------------------------------------
    @property
    def ratio(self) -> float:
        return parse_aspect(self.aspect)

    @property
    def height(self) -> int:
        return max(1, int(round(self.width / self.ratio)))

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return self.width, self.height

    @property
    def orientation(self) -> str:
        r = self.ratio
        return "square" if abs(r - 1) < 1e-9 else ("landscape" if r > 1 else "portrait")

    def with_width(self, width: int) -> Camera:
        """The same camera rendering ``width`` pixels wide (same framing)."""
        return self.replace(width=int(width))

    def replace(self, **changes) -> Camera:
        """A copy with some fields changed (``position``, ``look_at``, ``focal_mm``...), checked like a new camera."""
        extra = dict(changes.pop("extra", self.extra))
        return replace(self, **changes, extra=extra)

    # ----- intrinsics --------------------------------------------------------------------
    @property
    def focal_px(self) -> float:
        return self.focal_mm / SENSOR_LONG_MM * max(self.width, self.height)

    @property
    def fov_deg(self) -> tuple[float, float]:
        """(horizontal, vertical) field of view in degrees."""
        f = self.focal_px
        return (
            math.degrees(2 * math.atan(self.width / 2 / f)),
            math.degrees(2 * math.atan(self.height / 2 / f)),
        )

    def intrinsics(self) -> np.ndarray:
        """3x3 pinhole matrix K in pixels: the principal point at the image centre, or, for an upright
        camera, moved by the lens shift (whole pixels) so that ``look_at`` lands at the centre."""
        f = self.focal_px
        return np.array(
            [[f, 0.0, self.width / 2 - self.shift_px[0]], [0.0, f, self.height / 2 - self.shift_px[1]], [0.0, 0.0, 1.0]]
        )

    @property
    def shift_px(self) -> tuple[int, int]:
        """How far (pixels, right and down) the lens moves the image off the optical axis: (0, 0) but for an
        upright camera, whose lens rises (negative second value) to frame a ``look_at`` above its level axis."""
        if not self.upright:
            return 0, 0
        pc = self.basis() @ np.subtract(self.look_at, self.position)
        f = self.focal_px
        return int(round(f * pc[0] / pc[2])), int(round(f * pc[1] / pc[2]))

    @property
    def aim(self) -> np.ndarray:
        """Unit vector from the camera to ``look_at``, the frame's centre (the optical axis but when upright)."""
        d = np.subtract(self.look_at, self.position, dtype=np.float64)
        return d / np.linalg.norm(d)

    def _axis(self) -> np.ndarray:
        """The optical axis: the aim, or for an upright camera the aim levelled as far as MAX_SHIFT allows."""
        aim = self.aim
        if not self.upright:
            return aim
        level = aim - (aim @ UP) * UP
        if np.linalg.norm(level) < 1e-6:  # straight up or down: no level direction to keep
            return aim
        level /= np.linalg.norm(level)
        pitch = math.asin(float(np.clip(aim @ UP, -1.0, 1.0)))
        reach = math.atan(MAX_SHIFT * self.height / self.focal_px)
        tilt = pitch - float(np.clip(pitch, -reach, reach))
        return math.cos(tilt) * level + math.sin(tilt) * UP

    # ----- extrinsics --------------------------------------------------------------------
    def basis(self) -> np.ndarray:
        """3x3 matrix whose rows are the camera's right, down and forward (optical axis) directions in world space."""
        fwd = self._axis()
        hint = UP if abs(fwd @ UP) < 0.999 else np.array([0.0, 1.0, 0.0]) * -np.sign(fwd @ UP)
        right = np.cross(fwd, hint)
        right /= np.linalg.norm(right)
        up = np.cross(right, fwd)
        # Positive roll turns the camera counter-clockwise (seen from behind), which turns the
        # image clockwise as the viewer sees it.
        a = math.radians(self.roll_deg)
        right, up = math.cos(a) * right + math.sin(a) * up, math.cos(a) * up - math.sin(a) * right
        return np.stack([right, -up, fwd])

    def world_to_camera(self) -> np.ndarray:
        """4x4 extrinsic matrix mapping world points to the OpenCV camera frame."""
        r = self.basis()
        m = np.eye(4)
        m[:3, :3] = r
        m[:3, 3] = -r @ np.asarray(self.position)
        return m

    def camera_to_world(self) -> np.ndarray:
        return np.linalg.inv(self.world_to_camera())

    def pose_gl(self) -> np.ndarray:
        """4x4 camera-to-world pose in OpenGL's camera frame (for GL renderers)."""
        m = np.eye(4)
        m[:3, :3] = self.basis().T @ CV_TO_GL
        m[:3, 3] = self.position
        return m

    def to_gltf(self, name: str = "camera", znear: float = 0.05, zfar: float = 1000.0) -> tuple[dict, np.ndarray]:
        """This camera as glTF 2.0 has it: a perspective camera and the 4x4 matrix of the node carrying it.

        glTF cameras look down -Z of their node with +Y up (OpenGL's frame) in a Y-up world; the node's matrix
        is :meth:`pose_gl` taken into the file's Y-up axes (``Z_UP_TO_Y_UP``), as export writes the geometry.
        ``yfov`` is the vertical field of view and ``aspectRatio`` the frame's, so a viewer fitting the
        sensor vertically (Blender's glTF importer does) shows the same view. The camera's own fields
        (focal_mm on a 36 mm long side, f_number, aspect, width, height) go in ``extras``.
        """
        spec = {
            "name": name,
            "type": "perspective",
            "perspective": {
                "yfov": math.radians(self.fov_deg[1]),
                "aspectRatio": self.width / self.height,
                "znear": float(znear),
                "zfar": float(zfar),
            },
            "extras": {
                "focal_mm": self.focal_mm,
                "sensor_long_mm": SENSOR_LONG_MM,
                "f_number": self.f_number,
                "aspect": self.aspect,
                "width": self.width,
                "height": self.height,
                "roll_deg": self.roll_deg,
            },
        }
        if self.upright:  # glTF has no lens shift: a viewer shows the level axis, centred
            spec["extras"]["upright"] = True
            spec["extras"]["lens_shift_px"] = list(self.shift_px)
        return spec, Z_UP_TO_Y_UP @ self.pose_gl()

    @property
    def forward(self) -> np.ndarray:
        return self.basis()[2]

    @property
    def pitch_deg(self) -> float:
        """Elevation of the aim (at the frame's centre; the optical axis but for an upright camera):
        negative looks down, -90 is top-down."""
        return math.degrees(math.asin(float(np.clip(self.aim @ UP, -1, 1))))

    @property
    def horizon_tilt_deg(self) -> float:
        """How far the roll tilts the horizon: the roll, but 0 for a camera looking straight down (pitch at or
        below TOP_DOWN_PITCH), which has no horizon to tilt (its roll only turns the plan in the frame)."""
        return 0.0 if self.pitch_deg <= TOP_DOWN_PITCH else self.roll_deg

    # ----- rays and projection -----------------------------------------------------------
    def ray_directions(self, samples: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        """Unit world-space ray directions, shape (H, W, 3), through pixel centres.

        ``samples`` may give sub-pixel (u, v) coordinates instead (any equal shapes).
        """
        if samples is None:
            v, u = np.mgrid[0 : self.height, 0 : self.width].astype(np.float64) + 0.5
        else:
            u, v = samples
        k = self.intrinsics()
        x = (u - k[0, 2]) / k[0, 0]
        y = (v - k[1, 2]) / k[1, 1]
        d_cam = np.stack([x, y, np.ones_like(x)], axis=-1)
        d = d_cam @ self.basis()
        return d / np.linalg.norm(d, axis=-1, keepdims=True)

    def project(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """World points (N, 3) -> pixel coordinates (N, 2) and camera-space depth (N,)."""
        p = np.asarray(points, dtype=np.float64).reshape(-1, 3)
        pc = (p - np.asarray(self.position)) @ self.basis().T
        z = pc[:, 2]
        k = self.intrinsics()
        with np.errstate(divide="ignore", invalid="ignore"):
            uv = np.stack([k[0, 0] * pc[:, 0] / z + k[0, 2], k[1, 1] * pc[:, 1] / z + k[1, 2]], axis=1)
        return uv, z

    # ----- JSON ---------------------------------------------------------------------------
    def to_dict(self) -> dict:
        d = asdict(self)
        extra = d.pop("extra")
        d["position"], d["look_at"] = list(self.position), list(self.look_at)
        if not self.upright:
            del d["upright"]  # written only when set: older readers and files stay as they were
        return {**extra, **d}

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def parse(cls, value: str | dict | Camera) -> Camera:
        """The one camera-JSON reader: a Camera, its dict, or its JSON text (a camera object, or an object
        with a ``camera`` key as camera.json has). Any problem is a CameraError that says what to write."""
        if isinstance(value, Camera):
            return value
        data = value
        if isinstance(value, str | bytes):
            if len(value) > MAX_JSON_CHARS:
                raise CameraError(f"camera JSON is {len(value)} characters; a camera needs a few hundred")
            try:
                data = json.loads(value)
            except (json.JSONDecodeError, RecursionError, UnicodeDecodeError) as exc:
                reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
                raise CameraError(f"camera is not valid JSON ({reason}); write it like {EXAMPLE_JSON}") from None
        if isinstance(data, dict) and isinstance(data.get("camera"), dict):
            data = data["camera"]
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict) -> Camera:
        if not isinstance(data, dict):
            raise CameraError("a camera is a JSON object with position and look_at")
        missing = [k for k in ("position", "look_at") if k not in data]
        if missing:
            raise CameraError(f"camera JSON lacks {', '.join(missing)}; e.g. {EXAMPLE_JSON}")
        known = {"position", "look_at", "roll_deg", "focal_mm", "f_number", "aspect", "width", "upright"}
        extra = {k: v for k, v in data.items() if k not in known}
        try:
            return cls(**{k: data[k] for k in known if k in data}, extra=extra)
        except TypeError as exc:
            raise CameraError(f"camera JSON has a bad value: {exc}") from exc

    @classmethod
    def load(cls, path: str | Path) -> Camera:
        """Read a camera JSON file (a camera object, or an object with a ``camera`` key)."""
        path = Path(path)
        try:
            if path.stat().st_size > MAX_JSON_CHARS:
                raise CameraError(f"camera file {path} is {path.stat().st_size} bytes; a camera JSON is a few hundred")
            text = path.read_text()
        except FileNotFoundError:
            raise CameraError(f"camera file {path} does not exist") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CameraError(f"camera file {path} cannot be read ({exc})") from None
        try:
            return cls.parse(text)
        except CameraError as exc:
            raise CameraError(f"camera file {path}: {exc}") from None

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json(indent=2) + "\n")


def parse_cameras(value: str | list | dict) -> list[Camera]:
    """One camera or a JSON list of cameras (:meth:`Camera.parse` for each)."""
    data = value
    if isinstance(value, str):
        if len(value) > MAX_JSON_CHARS:
            raise CameraError(f"cameras JSON is {len(value)} characters; too long")
        try:
            data = json.loads(value)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise CameraError(f"cameras is not valid JSON ({exc}); pass a camera or a list of cameras") from None
    items = data if isinstance(data, list) else [data]
    return [Camera.parse(item) for item in items]


# Photographic classes of a camera state, shared by the photographer and the benchmark's judge.
# The angle follows from the pitch of the optical axis and, when known, the camera's height above the
# surface below it, as a photographer means it: top_down <= -60 < high <= -15 < eye_level < 10 <= low by the
# pitch; a camera less than LOW_HEIGHT above the ground that does not look down steeply is a low angle too
# (a camera 0.35 m up looking level), and one more than HIGH_HEIGHT up looking down at all is a high angle.
TOP_DOWN_PITCH, HIGH_PITCH, LOW_PITCH = -60.0, -15.0, 10.0
LOW_HEIGHT, HIGH_HEIGHT = 0.9, 2.4  # metres above the surface below the camera
HIGH_LOOK = -5.0  # degrees: from above HIGH_HEIGHT, looking down at least this much reads as a high angle


def angle_of(pitch_deg: float, height_m: float | None = None) -> str:
    """top_down, high, eye_level or low, from the pitch of the optical axis and the height above the ground."""
    if pitch_deg <= TOP_DOWN_PITCH:
        return "top_down"
    if pitch_deg <= HIGH_PITCH:
        return "high"
    if height_m is not None and height_m >= HIGH_HEIGHT and pitch_deg <= HIGH_LOOK:
        return "high"
    if pitch_deg >= LOW_PITCH or (height_m is not None and height_m <= LOW_HEIGHT):
        return "low"
    return "eye_level"


def lens_class(focal_mm: float) -> str:
    """wide (< 35 mm), normal (35-70 mm) or tele (> 70 mm), 35 mm equivalent."""
    return "wide" if focal_mm < 35 else ("normal" if focal_mm <= 70 else "tele")


def frame_bounds(
    bounds: np.ndarray,
    azimuth_deg: float = 235.0,
    elevation_deg: float = 25.0,
    focal_mm: float = 35.0,
    aspect: str = "3:2",
    width: int = 1920,
    margin: float = 1.1,
) -> Camera:
    """A camera that fits an axis-aligned box (2, 3) in frame, seen from an azimuth and elevation."""
    lo, hi = np.asarray(bounds, dtype=float)
    centre = (lo + hi) / 2
    radius = max(float(np.linalg.norm(hi - lo)) / 2, 1e-3)
    probe = Camera((0, 0, 0), (1, 0, 0), focal_mm=focal_mm, aspect=aspect, width=width)
    half_fov = math.radians(min(probe.fov_deg)) / 2
    distance = margin * radius / math.sin(half_fov)
    offset = distance * direction_from_angles(azimuth_deg, elevation_deg)
    return Camera(tuple(centre + offset), tuple(centre), focal_mm=focal_mm, aspect=aspect, width=width)


EXAMPLE_JSON = (
    '{"position": [x, y, z], "look_at": [x, y, z], "roll_deg": 0.0, "focal_mm": 35.0, '
    '"f_number": 8.0, "aspect": "3:2", "width": 1920}'
)
