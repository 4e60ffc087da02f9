"""What the catalog's tools share: scenes, the output folder, the image outbox; and the input parsing they need.

A :class:`ToolContext` is handed to every catalog tool (``agentvision.tools``, ``make_tool(name, context)``,
or ``RenderViewTool(context=...)``; a tool built without one makes its own). It holds
an explicit scene cache (library names or files, lit per time of day), an optional *current* scene
(a lit ``Scene`` the caller binds the tools to, e.g. the scene a Director is searching), the output
folder where tools save the images they make, the :class:`~agentvision.codeagent.ImageOutbox` that
carries those images to the model, the renderer name and the preview width.

The helpers below (image files, render sidecars, frame shares, camera JSON) are what the tools' methods
import; the tools themselves are plain smolagents ``Tool`` subclasses, self-contained as smolagents asks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from agentvision.camera import Camera
from agentvision.errors import InputError
from agentvision.outbox import ImageOutbox
from agentvision.runs import run_dir_for
from agentvision.scene.library import library_names, load_scene
from agentvision.scene.lighting import apply_time_of_day, normalise_time
from agentvision.scene.model import Scene
from agentvision.scene.queries import label_groups

DEFAULT_PREVIEW_WIDTH = 640
SIDECAR_SUFFIX = ".ids.npz"  # beside a rendered PNG: per-pixel object ids, object names, camera, scene


class ToolInputError(InputError):
    """A tool input the tool cannot use, saying what to pass instead (the agent reads this text)."""


@dataclass(frozen=True)
class SavedImage:
    """An image file a tool wrote: its path and its kind ('render', 'photo', 'map', 'edges', 'crop'...)."""

    path: Path
    kind: str


@dataclass
class ToolContext:
    """Shared state of a set of catalog tools.

    Attributes:
        scene: the current lit scene; tools use it when no ``scene`` input is given.
        time_of_day: the preset for scenes loaded by name (the current scene keeps its own lighting).
        out_dir: where tools save images; default ``runs/<timestamp>-tools/``, made on first save.
        outbox: where tools put images for the model's next step (``make_agent`` wires it).
        renderer: 'raycast' or 'gl'.
        preview_width: pixel width of the views tools render unless told otherwise.
        saved: every image file the tools wrote, oldest first (:meth:`save_image`, :meth:`record_image`);
            a caller (e.g. ``agentvision chat``) reads the new entries after each agent step.
        read_roots: folders (or files) besides ``out_dir`` that tools may read images and scene files from.
            Tools read nothing else: their inputs may come from a model (:meth:`readable`).
    """

    scene: Scene | None = None
    time_of_day: str = "noon"
    out_dir: Path | None = None
    outbox: ImageOutbox = field(default_factory=ImageOutbox)
    renderer: str = "raycast"
    preview_width: int = DEFAULT_PREVIEW_WIDTH
    saved: list[SavedImage] = field(default_factory=list, repr=False)
    read_roots: list[Path] = field(default_factory=list)
    _scenes: dict[tuple[str, str], Scene] = field(default_factory=dict, repr=False)  # (name or path, time) -> lit
    _saved: int = field(default=0, repr=False)

    # ----- scenes -------------------------------------------------------------------------
    def get_scene(self, name: str | None = None, time_of_day: str | None = None) -> Scene:
        """The current scene (no name), or a library scene / scene file lit at ``time_of_day``.

        Naming the current scene (by name or source) returns it, relit if another time is asked.
        """
        name = (name or "").strip() or None
        time_of_day = (time_of_day or "").strip() or None
        if name is None or (self.scene is not None and name in (self.scene.name, self.scene.source)):
            if self.scene is None:
                raise ToolInputError(
                    "no current scene: pass scene=<name or file>; the library has: " + ", ".join(library_names())
                )
            if time_of_day is None or normalise_time(time_of_day) == self.scene.lighting.preset:
                return self.scene
            return apply_time_of_day(self.scene, time_of_day)
        if name not in library_names() and (Path(name).suffix or "/" in name or Path(name).exists()):
            self.readable(name, "scene file", "a library scene name")
        key = (name, normalise_time(time_of_day or self.time_of_day))
        if key not in self._scenes:
            self._scenes[key] = load_scene(name, key[1])
        return self._scenes[key]

    # ----- output -------------------------------------------------------------------------
    def output_dir(self) -> Path:
        """The output folder, made on first use."""
        if self.out_dir is None:
            self.out_dir = run_dir_for("tools")
        self.out_dir = Path(self.out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        return self.out_dir

    def save_image(self, image: Image.Image, stem: str, kind: str | None = None) -> Path:
        """Save ``image`` as ``<out_dir>/<NNN>-<stem>.png`` (numbered in order) and return the path.

        The file is recorded in :attr:`saved` with ``kind`` (default: the stem's first word, e.g. 'render').
        """
        self._saved += 1
        slug = re.sub(r"[^a-zA-Z0-9_.-]+", "-", stem).strip("-")[:60] or "image"
        path = self.output_dir() / f"{self._saved:03d}-{slug}.png"
        while path.exists():
            self._saved += 1
            path = self.output_dir() / f"{self._saved:03d}-{slug}.png"
        image.save(path)
        self.record_image(path, kind or slug.split("-")[0])
        return path

    def record_image(self, path: Path, kind: str) -> None:
        """Note in :attr:`saved` an image file a tool wrote itself (e.g. the photoflow tool's photo.png)."""
        self.saved.append(SavedImage(Path(path), kind))

    def show(self, image: Image.Image, label: str) -> None:
        """Queue ``image`` for the model's next step."""
        self.outbox.put(image, label)

    # ----- what tools may read ----------------------------------------------------------------
    def allow_read(self, path: str | Path) -> None:
        """Let tools read ``path`` (a file, or a folder and everything in it)."""
        self.read_roots.append(Path(path))

    def readable(self, path: str | Path, what: str = "image", instead: str = "the path a tool returned") -> Path:
        """``path`` resolved, if it lies inside the output folder or a read root; else a ToolInputError.

        Symbolic links are resolved first, so a link inside the folder cannot lead out of it.
        """
        p = Path(str(path).strip()).expanduser().resolve()
        roots = [Path(r).expanduser().resolve() for r in [*([self.out_dir] if self.out_dir else []), *self.read_roots]]
        if not any(p == r or p.is_relative_to(r) for r in roots):
            where = ", ".join(str(r) for r in roots) or "no folder yet (nothing has been saved)"
            raise ToolInputError(
                f"{what} {str(path)!r} is outside the folders tools may read ({where}); pass {instead}"
            )
        return p

    def read_image(self, path: str) -> tuple[Path, np.ndarray]:
        """An image file inside the readable folders as (path, uint8 RGB array)."""
        return read_image(str(self.readable(path)))


# ----- input parsing shared by the tools ------------------------------------------------------
def read_image(path: str) -> tuple[Path, np.ndarray]:
    """An image file as (path, uint8 RGB array); errors name the path and what is wrong."""
    p = Path(str(path).strip()).expanduser()
    if not p.is_file():
        raise ToolInputError(f"image {str(p)!r} does not exist; pass the path a tool returned (e.g. 'saved: ...png')")
    try:
        with Image.open(p) as im:
            rgb = np.asarray(im.convert("RGB"))
    except OSError as exc:
        raise ToolInputError(f"{p} is not an image PIL can read ({exc})") from None
    return p, rgb


def write_sidecar(png: Path, ids: np.ndarray, camera: Camera, scene: Scene) -> Path:
    """Save a render's object ids (and which item each object belongs to) beside its PNG."""
    path = png.with_name(png.stem + SIDECAR_SUFFIX)
    meta = {"camera": camera.to_dict(), "scene": scene.source or scene.name, "time_of_day": scene.lighting.preset}
    np.savez_compressed(
        path,
        ids=ids.astype(np.int32),
        names=np.array(scene.names),
        labels=np.array([o.label for o in scene.objects]),
        groups=label_groups(scene),
        meta=np.array(json.dumps(meta)),
    )
    return path


@dataclass
class Sidecar:
    """What render_view left beside its PNG: per-pixel object ids, object names, labels, items, metadata."""

    ids: np.ndarray
    names: list[str]
    labels: list[str]
    groups: np.ndarray  # per object: index of the item it is a piece of (queries.label_groups)
    meta: dict

    def indices(self, name_or_label: str) -> list[int]:
        """Objects that are ``name_or_label``, its pieces, or objects with that label."""
        return [
            i
            for i in range(len(self.names))
            if name_or_label in (self.names[i], self.names[self.groups[i]], self.labels[i])
        ]

    def mask(self, name_or_label: str) -> np.ndarray:
        """(H, W) bool: pixels showing ``name_or_label`` (see :meth:`indices`)."""
        return np.isin(self.ids, self.indices(name_or_label))


def read_sidecar(png: Path) -> Sidecar | None:
    """The sidecar of a PNG rendered by render_view, or None."""
    path = png.with_name(png.stem + SIDECAR_SUFFIX)
    if not path.is_file():
        return None
    with np.load(path) as data:
        return Sidecar(
            data["ids"],
            [str(n) for n in data["names"]],
            [str(n) for n in data["labels"]],
            data["groups"],
            json.loads(str(data["meta"])),
        )


def scene_items(scene: Scene, token: str) -> list[str]:
    """The items ``token`` names in ``scene``: an object, or every whole item with that label."""
    if token in scene.names:
        return [token]
    groups = label_groups(scene)
    items = [o.name for i, o in enumerate(scene.objects) if o.label == token and groups[i] == i]
    if not items:
        raise ToolInputError(
            f"no object or label {token!r} in {scene.name}; objects: {', '.join(scene.names)} "
            "(scene_objects lists them with positions)"
        )
    return items


def frame_shares(ids: np.ndarray, scene: Scene, top: int | None = None) -> dict[str, float]:
    """Share of the frame each item covers (pieces such as ``sofa_legs`` count toward ``sofa``), largest first."""
    groups = label_groups(scene)
    valid = ids[ids >= 0]
    if valid.size == 0:
        return {}
    counts = np.bincount(groups[valid], minlength=len(scene.objects))
    order = [int(i) for i in np.argsort(-counts, kind="stable") if counts[i] > 0]
    shares = {scene.objects[i].name: float(counts[i] / ids.size) for i in order}
    return dict(list(shares.items())[:top]) if top else shares


def percent_list(shares: dict[str, float]) -> str:
    """'sofa 21.3%, rug 10.2%'."""
    return ", ".join(f"{name} {share:.1%}" for name, share in shares.items()) or "nothing"


def camera_json(camera: Camera, digits: int = 3) -> str:
    """The camera's JSON with coordinates rounded for reading (the schema of :meth:`Camera.to_json`)."""
    d = camera.to_dict()
    d["position"] = [round(v, digits) + 0.0 for v in camera.position]
    d["look_at"] = [round(v, digits) + 0.0 for v in camera.look_at]
    return json.dumps(d)
