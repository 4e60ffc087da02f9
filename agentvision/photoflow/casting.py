"""Who plays each PhotoFlow role: a model spec per role (:class:`RoleModels`), and the role objects
it casts (:func:`roles_for`).

A role whose spec is ``builtin`` is the model-free photographer's; a role with a model
(``openai:MODEL_ID``, ``transformers:PATH``) is the VLM one, which falls back to the built-in role
step by step when the model gives no usable answer. Roles with the same spec share one loaded model.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentvision.photoflow.builtin import BuiltinDirector, BuiltinReflector, BuiltinReviewer
from agentvision.photoflow.vlm import VLMDirector, VLMReflector, VLMReviewer


@dataclass(frozen=True)
class RoleModels:
    """The model spec of each role, as text ("builtin", "openai:ID", "transformers:PATH")."""

    director: str = "builtin"
    reviewer: str = "builtin"
    reflector: str = "builtin"

    @classmethod
    def resolve(
        cls,
        model: str | None = None,
        director: str | None = None,
        reviewer: str | None = None,
        reflector: str | None = None,
    ) -> RoleModels:
        """Per-role specs, each defaulting to ``model``, which defaults to $AGENTVISION_MODEL or builtin."""
        from agentvision.models import default_model_spec, parse_model_spec

        base = str(parse_model_spec(model)) if model else str(default_model_spec())
        pick = [str(parse_model_spec(s)) if s else base for s in (director, reviewer, reflector)]
        return cls(*pick)

    @property
    def all_builtin(self) -> bool:
        return {self.director, self.reviewer, self.reflector} == {"builtin"}

    def distinct(self) -> list[str]:
        """The non-builtin specs, each once."""
        return [s for s in dict.fromkeys((self.director, self.reviewer, self.reflector)) if s != "builtin"]

    def to_dict(self) -> dict[str, str]:
        return {"director": self.director, "reviewer": self.reviewer, "reflector": self.reflector}


@dataclass
class Roles:
    """The three role objects of a run."""

    director: object
    reviewer: object
    reflector: object


def roles_for(models: RoleModels, options=None, *, prompts_dir=None, check: bool = True) -> Roles:
    """The three roles for ``models``. With ``check``, every served model's health is checked first
    (``agentvision.models.ModelUnavailable`` says what is wrong before anything runs)."""
    from agentvision.models import check_health, load_model

    loaded = {}
    for spec in models.distinct():
        if check:
            check_health(spec, options)
        loaded[spec] = load_model(spec, options)

    def pick(spec: str, builtin, vlm):
        return builtin() if spec == "builtin" else vlm(loaded[spec], prompts_dir=prompts_dir)

    return Roles(
        pick(models.director, BuiltinDirector, VLMDirector),
        pick(models.reviewer, BuiltinReviewer, VLMReviewer),
        pick(models.reflector, BuiltinReflector, VLMReflector),
    )
