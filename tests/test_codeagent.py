"""make_agent's image handling, through a real smolagents CodeAgent loop with a scripted model."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from scripted_model import ScriptedModel, code
from smolagents import Tool
from smolagents.memory import ActionStep

from agentvision.codeagent import ImageOutbox, ImageWindow, make_agent

COLOURS = {"red": (255, 0, 0), "green": (0, 255, 0), "blue": (0, 0, 255), "yellow": (255, 255, 0)}


class PaintTool(Tool):
    """Makes a solid-colour image and puts it into its outbox (make_agent wires the outbox)."""

    name = "paint"
    description = "Paints a 32x32 image of one colour; the model sees it at its next step."
    inputs = {"colour": {"type": "string", "description": "red, green, blue or yellow"}}
    output_type = "string"

    def __init__(self):
        super().__init__()
        self.outbox = None

    def forward(self, colour: str) -> str:
        self.outbox.put(Image.new("RGB", (32, 32), COLOURS[colour]), f"a {colour} square")
        return f"painted {colour}"


def colour_of(image: Image.Image) -> str:
    pixel = tuple(int(v) for v in np.asarray(image)[16, 16])
    return next(name for name, rgb in COLOURS.items() if rgb == pixel)


def run(replies, keep=2):
    model = ScriptedModel(replies)
    agent = make_agent(model, [PaintTool()], keep_images=keep, verbosity_level=0)
    return model, agent, agent.run("paint some squares")


SCRIPT = [
    code('paint(colour="red")'),
    code('paint(colour="green")'),
    code('paint(colour="blue")'),
    code('paint(colour="yellow")'),
    code("x = 1 / 0"),
    code('final_answer("done")'),
]


def test_tool_images_arrive_at_the_next_step_in_that_steps_user_message():
    model, agent, answer = run(SCRIPT, keep=2)
    assert answer == "done"
    assert model.images_in(0) == []  # nothing painted yet
    # The request after step 1 carries red, in the last message: the user message of step 1's observation.
    last = model.calls[1][-1]
    assert last.role == "user"
    assert [colour_of(im) for im in last.images] == ["red"]
    assert "Observation" in last.text and "a red square" in last.text
    assert [colour_of(im) for im in model.calls[2][-1].images] == ["green"]
    # Images sit in the message of the step that made them, after its code (assistant message).
    call = model.calls[2]
    roles = [m.role for m in call]
    first_image_msg = next(i for i, m in enumerate(call) if m.images)
    assert roles[first_image_msg - 1] == "assistant" and 'paint(colour="red")' in call[first_image_msg - 1].text


def test_images_beyond_keep_are_dropped_and_the_model_is_told():
    model, agent, _ = run(SCRIPT, keep=2)
    seen = [[colour_of(im) for im in model.images_in(i)] for i in range(len(model.calls))]
    assert seen == [[], ["red"], ["red", "green"], ["green", "blue"], ["blue", "yellow"], ["blue", "yellow"]]
    dropped_note = next(m.text for m in model.calls[3] if "a red square" in m.text)
    assert "dropped from context" in dropped_note
    with_images = [s for s in agent.memory.steps if isinstance(s, ActionStep) and s.observations_images]
    assert len(with_images) == 2


def test_errors_from_failing_code_are_fed_back():
    model, agent, answer = run(SCRIPT, keep=2)
    after_error = model.calls[5][-1]
    assert after_error.role == "user"
    assert "division by zero" in after_error.text
    assert answer == "done"


def test_keep_one_and_keep_zero():
    model, _, _ = run(SCRIPT, keep=1)
    assert [[colour_of(im) for im in model.images_in(i)] for i in range(1, 5)] == [
        ["red"],
        ["green"],
        ["blue"],
        ["yellow"],
    ]
    model, _, _ = run(SCRIPT, keep=0)
    assert all(model.images_in(i) == [] for i in range(len(model.calls)))


def test_task_images_stay_once_in_the_task_message():
    task_image = Image.new("RGB", (32, 32), COLOURS["blue"])
    model = ScriptedModel([code('paint(colour="red")'), code('paint(colour="green")'), code('final_answer("ok")')])
    agent = make_agent(model, [PaintTool()], keep_images=3, verbosity_level=0)
    agent.run("compare with this", images=[task_image])
    for i, call in enumerate(model.calls):
        task_msg = next(m for m in call if m.role == "user" and "compare with this" in m.text)
        assert [colour_of(im) for im in task_msg.images] == ["blue"]
        assert len(model.images_in(i)) == 1 + i  # the task image once, plus one painted square per step


def test_user_step_callbacks_and_imports_are_kept():
    seen = []
    model = ScriptedModel([code("import statistics\nfinal_answer(int(statistics.mean([2, 4])))")])
    agent = make_agent(
        model,
        [PaintTool()],
        verbosity_level=0,
        step_callbacks=[lambda step: seen.append(step.step_number)],
        additional_authorized_imports=["statistics"],
    )
    assert agent.run("sum") == 3
    assert seen == [1]
    assert {"json", "math", "statistics"} <= set(agent.additional_authorized_imports)
    assert "numpy" not in agent.additional_authorized_imports  # its file and pickle functions reach the disk
    assert isinstance(agent.step_callbacks._callbacks[ActionStep][0], ImageWindow)


def test_outbox_and_window_contracts():
    box = ImageOutbox()
    box.put(Image.new("L", (4, 4)), "grey")
    assert len(box) == 1
    items = box.drain()
    assert items[0].image.mode == "RGB" and items[0].label == "grey" and len(box) == 0
    with pytest.raises(TypeError, match="PIL image"):
        box.put(np.zeros((4, 4, 3)), "array")
    with pytest.raises(ValueError, match="keep"):
        ImageWindow(box, keep=-1)


def test_model_must_be_a_model_or_a_spec():
    with pytest.raises(TypeError, match="spec string"):
        make_agent(42, [PaintTool()])
