"""Missions: one YAML file per photo task, validated before anything runs.

The schema (issue 4; other tools write it, so it is exact: unknown keys are errors)::

    id: staircase-dusk-wide            # unique across the set; letters, digits, '.', '_', '-'
    scene: staircase                   # library name, or a scene file path relative to the mission file
    intent: "shoot the staircase at dusk"
    category: subject_placement        # subject_placement | relational_composition | atmosphere_style
    expect:                            # every key optional; absent keys take the defaults of Expect
      subjects: [staircase]            # object names or labels that must be the photo's subject(s)
      min_visible: 0.5                 # per subject, 0..1 (needs subjects)
      coverage: [0.08, 0.7]            # fraction of the frame covered by all subjects, [lo, hi] in 0..1
      placement: any                   # any | center | left_third | right_third | upper_third | lower_third
      time_of_day: dusk                # a lighting preset (agentvision.scene.lighting.TIMES)
      camera_height: [0.2, 2.0]        # metres above the floor or ground below the camera, 0 <= lo <= hi
      view: any                        # any | low_angle | eye_level | high_angle | top_down
      lens: any                        # any | wide | normal | tele
      aspect: any                      # any | landscape | portrait | square | "16:9" | "3:2" | "4:3"
                                       # | "1:1" | "4:5" | "9:16" | "21:9" (quote ratios)
      also_visible: []                 # objects or labels that must also be in frame
      not_visible: []                  # objects or labels that must stay out of frame
      max_roll_deg: 3                  # horizon tilt allowed, degrees

A reference in ``subjects``/``also_visible``/``not_visible`` is an object name (standing for the
object and its parts, as :func:`objects_for` says) or a label (every object with it). Errors are
:class:`MissionError` and start with ``<file>: <field>:``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from pathlib import Path

from agentvision.content import content_dir
from agentvision.errors import InputError, brief
from agentvision.scene.files import load_file
from agentvision.scene.library import library_names, library_scene
from agentvision.scene.lighting import TIMES
from agentvision.scene.model import Scene, SceneError
from agentvision.scene.queries import pieces
from agentvision.vision.composition import PLACEMENTS
from agentvision.yamlfile import YamlLimitError, load_yaml

CATEGORIES = ("subject_placement", "relational_composition", "atmosphere_style")
VIEWS = ("any", "low_angle", "eye_level", "high_angle", "top_down")
LENSES = ("any", "wide", "normal", "tele")
ASPECTS = ("any", "landscape", "portrait", "square", "16:9", "3:2", "4:3", "1:1", "4:5", "9:16", "21:9")
REQUIRED = ("id", "scene", "intent", "category", "expect")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class MissionError(InputError):
    """A mission file that cannot be run; the message names the file and the field."""


@dataclass
class Expect:
    """The checks a photo must pass; the defaults are what an absent key means (None, 'any' and []:
    no constraint; a horizon within 3 degrees is always asked for)."""

    subjects: list[str] = field(default_factory=list)
    min_visible: float | None = None
    coverage: tuple[float, float] | None = None
    placement: str = "any"
    time_of_day: str | None = None
    camera_height: tuple[float, float] | None = None
    view: str = "any"
    lens: str = "any"
    aspect: str = "any"
    also_visible: list[str] = field(default_factory=list)
    not_visible: list[str] = field(default_factory=list)
    max_roll_deg: float = 3.0


@dataclass
class Mission:
    """One photo task: a scene, an intent in plain words, and what the photo is judged on."""

    id: str
    scene: str  # as written in the file
    intent: str
    category: str
    expect: Expect
    path: Path  # the mission file

    @property
    def scene_ref(self) -> str:
        """What ``load_scene`` takes: the library name, or the scene file's absolute path."""
        return _scene_ref(self.scene, self.path)

    def to_dict(self) -> dict:
        return {**asdict(self), "path": str(self.path)}


def shipped_missions_dir() -> Path:
    """The missions that ship with agentvision (``scenes/missions``)."""
    return content_dir("scenes") / "missions"


def objects_for(scene: Scene, ref: str) -> list[str]:
    """Object names a reference stands for: every object labelled ``ref``, plus the object named
    ``ref`` and its parts (objects named ``ref_*`` with its label, as the intent parser folds them)."""
    hits = [o.name for o in scene.objects if o.label == ref]
    if ref in scene.names:
        hits += pieces(scene, ref)
    return list(dict.fromkeys(hits))


# ----- loading ------------------------------------------------------------------------------
def load_mission(path: str | Path) -> Mission:
    """Read and validate one mission file; raises MissionError naming the file and the field."""
    path = Path(path)
    try:
        data = load_yaml(path)
    except FileNotFoundError:
        raise MissionError(f"{path}: no such mission file") from None
    except (OSError, YamlLimitError) as e:
        raise MissionError(f"{path}: not a usable mission file: {e}") from None
    if not isinstance(data, dict):
        raise MissionError(f"{path}: a mission is a YAML mapping with keys {', '.join(REQUIRED)}")
    _keys(path, "", data, REQUIRED, REQUIRED)
    for key in ("id", "scene", "intent", "category"):
        if not isinstance(data[key], str) or not data[key].strip():
            raise MissionError(f"{path}: {key}: must be a non-empty string, got {brief(data[key])}")
    if not _ID.fullmatch(data["id"]):
        raise MissionError(f"{path}: id: {brief(data['id'])} may hold only letters, digits, '.', '_' and '-'")
    _enum(path, "category", data["category"], CATEGORIES)
    expect = _expect(path, data["expect"])
    mission = Mission(data["id"], data["scene"], data["intent"].strip(), data["category"], expect, path)
    scene = _scene(path, mission.scene)
    labels = ", ".join(dict.fromkeys(o.label for o in scene.objects))
    for key in ("subjects", "also_visible", "not_visible"):
        for ref in getattr(expect, key):
            if not objects_for(scene, ref):
                raise MissionError(
                    f"{path}: expect.{key}: {brief(ref)} is no object or label in scene {mission.scene!r}; it has "
                    f"objects {', '.join(scene.names)}; labels {labels}"
                )
    return mission


def load_missions(paths: str | Path | list[str | Path] | None = None) -> list[Mission]:
    """Every mission in the given files and folders (``*.yaml``/``*.yml``, searched recursively),
    sorted by id; None or no paths: the shipped missions. All files are checked; one MissionError lists the problems."""
    if paths is None or (isinstance(paths, list | tuple) and not paths):
        paths = [shipped_missions_dir()]
    elif isinstance(paths, str | Path):
        paths = [paths]
    files, problems = [], []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.suffix in (".yaml", ".yml") and f.is_file())
            files += found
            if not found:
                problems.append(f"{p}: no mission files (*.yaml) in this folder")
        elif p.exists():
            files.append(p)
        else:
            problems.append(f"{p}: no such mission file or folder")
    missions, seen = [], {}
    for f in dict.fromkeys(files):
        try:
            m = load_mission(f)
        except MissionError as e:
            problems.append(str(e))
            continue
        if m.id in seen:
            problems.append(f"{f}: id: {m.id!r} is also the id of {seen[m.id]}; mission ids must be unique")
            continue
        seen[m.id] = f
        missions.append(m)
    if problems:
        raise MissionError(problems[0] if len(problems) == 1 else f"{len(problems)} problems:\n" + "\n".join(problems))
    return sorted(missions, key=lambda m: m.id)


# ----- validation ---------------------------------------------------------------------------
def _keys(path: Path, prefix: str, data: dict, allowed, required=()) -> None:
    for key in data:
        if key not in allowed:
            raise MissionError(f"{path}: {prefix}{key}: unknown key; the keys are {', '.join(map(str, allowed))}")
    for key in required:
        if key not in data:
            raise MissionError(f"{path}: {prefix}{key}: missing; a mission needs {', '.join(required)}")


def _enum(path: Path, name: str, value, choices) -> str:
    if not isinstance(value, str) or value not in choices:
        raise MissionError(f"{path}: {name}: {brief(value)} is not one of {', '.join(choices)}")
    return value


def _number(path: Path, name: str, value, lo: float, hi: float | None) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or value < lo or (hi is not None and value > hi):
        span = f"between {lo:g} and {hi:g}" if hi is not None else f"at least {lo:g}"
        raise MissionError(f"{path}: {name}: must be a number {span}, got {brief(value)}")
    return float(value)


def _range(path: Path, name: str, value, lo: float, hi: float | None) -> tuple[float, float]:
    if not (isinstance(value, list) and len(value) == 2):
        raise MissionError(f"{path}: {name}: must be a list [lo, hi], got {brief(value)}")
    a, b = (_number(path, name, v, lo, hi) for v in value)
    if a > b:
        raise MissionError(f"{path}: {name}: [lo, hi] needs lo <= hi, got {brief(value)}")
    return a, b


def _refs(path: Path, name: str, value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise MissionError(f"{path}: {name}: must be a list of object names or labels, e.g. [sofa], got {brief(value)}")
    return list(value)


def _aspect(path: Path, value) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 60:
        value = f"{value // 60}:{value % 60}"  # YAML 1.1 reads an unquoted 16:9 as the base-60 number 969
    return _enum(path, "expect.aspect", value, ASPECTS)


def _expect(path: Path, data) -> Expect:
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise MissionError(f"{path}: expect: must be a mapping of checks, e.g. {{subjects: [sofa]}}, got {brief(data)}")
    names = [f.name for f in fields(Expect)]
    _keys(path, "expect.", data, names)
    out = Expect()
    for key, value in data.items():
        name = f"expect.{key}"
        if value is None and getattr(out, key) is None:
            continue
        if key in ("subjects", "also_visible", "not_visible"):
            value = _refs(path, name, value)
        elif key in ("coverage", "camera_height"):
            value = _range(path, name, value, 0.0, 1.0 if key == "coverage" else None)
        elif key in ("min_visible", "max_roll_deg"):
            value = _number(path, name, value, 0.0, 1.0 if key == "min_visible" else 180.0)
        elif key == "aspect":
            value = _aspect(path, value)
        else:
            choices = {"placement": PLACEMENTS, "view": VIEWS, "lens": LENSES, "time_of_day": TIMES}[key]
            value = _enum(path, name, value, choices)
        setattr(out, key, value)
    for key in ("min_visible", "coverage", "placement"):
        if getattr(out, key) not in (None, "any") and not out.subjects:
            raise MissionError(f"{path}: expect.{key}: is measured on the subjects; set expect.subjects too")
    clash = [r for r in out.not_visible if r in out.subjects + out.also_visible]
    if clash:
        raise MissionError(f"{path}: expect.not_visible: {', '.join(clash)} must also be visible; remove one")
    return out


def _scene_ref(scene: str, path: Path) -> str:
    if scene in library_names():
        return scene
    return str((path.parent / scene).resolve())


def _scene(path: Path, scene: str) -> Scene:
    if scene in library_names():
        return library_scene(scene)
    ref = _scene_ref(scene, path)  # a file, relative to the mission's folder (an absolute path stays as it is)
    if not Path(ref).is_file():
        raise MissionError(
            f"{path}: scene: {brief(scene)} is neither a library scene ({', '.join(library_names())}) "
            f"nor a file (looked for {ref})"
        )
    try:
        return _file_scene(ref)
    except SceneError as e:
        raise MissionError(f"{path}: scene: {e}") from None


@cache
def _file_scene(ref: str) -> Scene:
    return load_file(ref)
