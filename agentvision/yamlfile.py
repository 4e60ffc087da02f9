"""Reading YAML that a user or a download may have written (missions, prompt overrides), within limits.

PyYAML's safe loader builds no objects but plain data, yet a few hundred bytes of anchors and aliases can
stand for billions of values (the "billion laughs" bomb), and deep nesting exhausts the parser's stack. So a
file is checked before it is built: its size, the aliases it uses and how deep it nests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 256 * 1024
MAX_ALIASES = 64
MAX_DEPTH = 32


class YamlLimitError(ValueError):
    """A YAML text over a limit, or not YAML at all; the message says which."""


def load_yaml(path: Path, *, max_bytes: int = MAX_BYTES, max_aliases: int = MAX_ALIASES, max_depth: int = MAX_DEPTH):
    """The data of the YAML file at ``path``, once it is known to be within the limits.

    Raises OSError when it cannot be read and YamlLimitError when it is too large, uses too many aliases
    (``*name``), nests too deep or is not YAML.
    """
    size = path.stat().st_size
    if size > max_bytes:
        raise YamlLimitError(f"it is {size // 1024} KiB; at most {max_bytes // 1024} KiB are read")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise YamlLimitError(f"it is not UTF-8 text ({e.reason} at byte {e.start})") from None
    return parse_yaml(text, max_aliases=max_aliases, max_depth=max_depth)


def parse_yaml(text: str, *, max_aliases: int = MAX_ALIASES, max_depth: int = MAX_DEPTH) -> Any:
    """The data of a YAML text within the alias and depth limits (see :func:`load_yaml`)."""
    aliases = depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > max_aliases:
                    raise YamlLimitError(f"it uses more than {max_aliases} aliases (*name); write the values out")
            elif isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    raise YamlLimitError(f"it nests deeper than {max_depth} levels")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise YamlLimitError(f"it is not valid YAML ({' '.join(str(e).split())[:300]})") from None
    except RecursionError:
        raise YamlLimitError(f"it nests deeper than {max_depth} levels") from None
