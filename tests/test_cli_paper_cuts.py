"""What a newcomer trips over first: URLs, --ray without Ray, negative coordinates, --version, a fast scene list."""

from __future__ import annotations

import sys

import pytest

import agentvision
import agentvision.scene.library as library
from agentvision.cli import join_vectors, main
from agentvision.models import ModelOptions, ModelSpecError
from agentvision.scene.catalog import library_catalog


@pytest.mark.parametrize(
    "url", ["URL", "http://", "http://[::1", "ftp://host/v1", "127.0.0.1:8000/v1", "http://h:99999"]
)
def test_a_bad_api_base_is_one_clear_input_error(url, capsys, tmp_path):
    with pytest.raises(ModelSpecError, match="e.g. http://127.0.0.1:8000/v1"):
        ModelOptions(api_base=url)
    out = tmp_path / "run"
    code = main(["photo", "the staircase", "--model", "openai:m", "--api-base", url, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "is not" in err and "Traceback" not in err
    assert not out.exists()


def test_a_good_api_base_loses_only_its_trailing_slash():
    assert ModelOptions(api_base=" https://gpu.example:8000/v1/ ").api_base == "https://gpu.example:8000/v1"
    assert ModelOptions(api_base="  ").api_base is None


def test_bench_on_ray_without_ray_stops_before_any_work(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now fails as it does where Ray is missing
    out = tmp_path / "bench"
    code = main(["bench", "--ray", "local", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 4 and "pip install 'agentvision[ray]'" in err and "Traceback" not in err
    assert not out.exists()


def test_negative_coordinates_need_no_equals_sign():
    argv = ["render", "staircase", "--look-from", "-1,2,1.6", "--look-at", "-0.5,-2.2,0.6", "--focal", "35"]
    assert join_vectors(argv) == [
        "render",
        "staircase",
        "--look-from=-1,2,1.6",
        "--look-at=-0.5,-2.2,0.6",
        "--focal",
        "35",
    ]
    assert join_vectors(["render", "x", "--look-at", "--focal", "35"]) == ["render", "x", "--look-at", "--focal", "35"]


def test_render_takes_negative_coordinates(tmp_path):
    out = tmp_path / "neg.png"
    argv = ["render", "staircase", "--look-from", "-1.2,-1.5,1.6", "--look-at", "-0.5,2.2,1.2", "--width", "48"]
    assert main([*argv, "--quality", "preview", "-o", str(out)]) == 0 and out.is_file()


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.strip() == f"agentvision {agentvision.__version__}"


def test_scenes_lists_the_library_without_building_a_scene(monkeypatch, capsys):
    for name in library.library_names():
        library_catalog(name)  # the cached catalogs (built once per builder content)

    def no_building(name):
        raise AssertionError(f"agentvision scenes built {name}")

    monkeypatch.setattr(library, "_build", no_building)
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["scenes"]) == 0
    out = capsys.readouterr().out
    assert "staircase" in out and "4,808" in out and "fountain" in out


def test_a_request_no_camera_can_meet_is_an_input_error_not_an_interruption(monkeypatch, capsys, tmp_path):
    # A strategy that could place no camera at all (a random search whose every standpoint the request rules
    # out) renders nothing: that is the request's doing (exit 2, with what to loosen), not a Ctrl-C (130).
    import agentvision.commands.photo as photo_cmd

    class Nothing:
        photo, interrupted, scores = None, False, None

        def to_dict(self):
            return {"photo": None}

    monkeypatch.setattr(photo_cmd, "run", lambda job, on_event: Nothing())
    out = tmp_path / "run"
    code = main(["photo", "the armchair", "--scene", "living_room", "--strategy", "random", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "found no camera position that meets the request" in err and "loosen" in err
    Nothing.interrupted = True
    assert main(["photo", "the armchair", "--scene", "living_room", "--out", str(out)]) == 130
