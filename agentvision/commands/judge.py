"""``agentvision judge RUN_DIR --mission FILE``: score a run folder against a mission, print JSON."""

from __future__ import annotations

import json

from agentvision.bench.judge import judge_mission


def judge_command(args) -> int:
    """Print the judgement of ``args.run_dir`` against ``args.mission`` as JSON on stdout.

    Exit status 0 when the run was judged (``success`` in the JSON says whether it met the
    mission), 2 when the run folder or the mission cannot be judged (the error, printed by the command
    line's error boundary, names the file).
    """
    from agentvision.bench.missions import load_mission

    mission = load_mission(args.mission)
    result = judge_mission(args.run_dir, mission)
    print(json.dumps(result.to_dict(), indent=2))
    return 0
