"""agentvision: smolagents code-agents that drive a vision-language model and chain visual tools.

The headline job is virtual photography: a Director-Reviewer-Reflector loop (PhotoFlow) searches
camera states in a 3D scene for an intent and returns a photograph. A short tour::

    import agentvision as av

    result = av.photo("shoot the staircase at dusk", rounds=3, candidates=3, width=960)
    result.photo.save("stairs.png")          # a PIL image
    print(result.camera.to_json(), result.scores["total"], result.run_dir)

    lower = av.refine(result, "lower the camera")        # follow-ups refine the last shot
    scene = av.load_scene("courtyard", time_of_day="golden_hour")
    image = av.render(scene, av.Camera((8, -6, 1.7), (0, 0, 1), focal_mm=50)).image()

    class LowAngleReviewer(av.BuiltinReviewer): ...      # your own roles: av.Director, av.Reviewer, av.Reflector
    av.photo("the fountain", reviewer=LowAngleReviewer())

Names are loaded on first use, so ``import agentvision`` is fast and imports no renderer:

- ``photo``, ``refine``, ``render``, ``load_scene``, ``score``: one call per job (:mod:`agentvision.api`);
  ``PhotoJob`` and ``run_job``: the job every entry point builds, and the one way to run it;
- ``Camera``, ``Blueprint``, ``PhotoResult``, ``Scene``, ``RenderSettings``: the data;
- ``Director``, ``Reviewer``, ``Reflector``: the role interfaces; ``BuiltinDirector``,
  ``BuiltinReviewer``, ``BuiltinReflector``: the model-free photographer's roles;
- ``parse_change``: how a follow-up is read; ``run_photoflow``: the loop itself;
- ``make_agent``: a smolagents CodeAgent wired for images; ``tools``: the tool catalog loader.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> (module, attribute); attribute None means the module itself
_LAZY: dict[str, tuple[str, str | None]] = {
    "photo": ("agentvision.api", "photo"),
    "render": ("agentvision.render", None),  # the engines' package, callable: av.render(scene, camera)
    "RenderSettings": ("agentvision.render.base", "RenderSettings"),
    "PhotoJob": ("agentvision.photoflow.job", "PhotoJob"),
    "run_job": ("agentvision.photoflow.job", "run"),
    "load_scene": ("agentvision.api", "load_scene"),
    "score": ("agentvision.api", "score"),
    "refine": ("agentvision.photoflow.refine", "refine"),
    "parse_change": ("agentvision.photoflow.refine", "parse_change"),
    "Camera": ("agentvision.camera", "Camera"),
    "Blueprint": ("agentvision.photoflow.blueprint", "Blueprint"),
    "PhotoResult": ("agentvision.photoflow.loop", "PhotoResult"),
    "run_photoflow": ("agentvision.photoflow.loop", "run_photoflow"),
    "Scene": ("agentvision.scene.model", "Scene"),
    "Director": ("agentvision.photoflow.roles", "Director"),
    "Reviewer": ("agentvision.photoflow.roles", "Reviewer"),
    "Reflector": ("agentvision.photoflow.roles", "Reflector"),
    "BuiltinDirector": ("agentvision.photoflow.builtin.director", "BuiltinDirector"),
    "BuiltinReviewer": ("agentvision.photoflow.builtin.reviewer", "BuiltinReviewer"),
    "BuiltinReflector": ("agentvision.photoflow.builtin.reflector", "BuiltinReflector"),
    "make_agent": ("agentvision.codeagent", "make_agent"),
    "tools": ("agentvision.tools", None),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'agentvision' has no attribute {name!r}")
    module, attr = _LAZY[name]
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        raise AttributeError(f"agentvision.{name} needs {module}, which this install does not have") from None
    value = loaded if attr is None else getattr(loaded, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
