"""Bound the images in a conversation: downscale each, keep only the last few (the rest become a short note).

Works on smolagents message lists: ChatMessage objects or dicts, whose content is a string or a list of parts
such as ``{"type": "text", "text": ...}`` and ``{"type": "image", "image": PIL.Image}``. Both model backends use it.
An image marked with :func:`pin` (the incumbent photo a role must always see) is never the one dropped.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from PIL import Image

OMITTED_NOTE = (
    "[image omitted: at most {n} images per request reach the model (pinned ones, then the newest); the image "
    "that stood here is left out]"
)
IMAGE_TYPES = ("image", "image_url")
PIN = "agentvision.pinned"  # key in a PIL image's ``info`` marking an image that trimming keeps


def pin(image: Image.Image) -> Image.Image:
    """Mark ``image`` (in place; returned) as one that :func:`limit_images` never drops."""
    image.info[PIN] = True
    return image


def is_pinned(part: Any) -> bool:
    """True for an image part holding a pinned PIL image."""
    image = part.get("image") if isinstance(part, dict) else None
    return isinstance(image, Image.Image) and bool(image.info.get(PIN))


def to_pil(image: Any) -> Image.Image:
    """A PIL RGB image from a PIL image or an HxW(x3|4) array (uint8, or floats in 0..1)."""
    if isinstance(image, Image.Image):
        return image if image.mode == "RGB" else image.convert("RGB")
    if isinstance(image, np.ndarray):
        array = image
        if array.dtype != np.uint8:
            array = (np.clip(array.astype(np.float64), 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
        return Image.fromarray(array).convert("RGB")
    raise TypeError(f"an image part must hold a PIL image or a numpy array, not {type(image).__name__}")


def downscale(image: Any, max_side: int) -> Image.Image:
    """``image`` as RGB with its longest side at most ``max_side`` pixels (aspect kept; never enlarged)."""
    image = to_pil(image)
    width, height = image.size
    longest = max(width, height)
    if longest <= max_side:
        return image
    scale = max_side / longest
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def role_and_content(message: Any) -> tuple[Any, Any]:
    """(role, content) of a ChatMessage or a message dict."""
    if isinstance(message, dict):
        return message.get("role"), message.get("content")
    return message.role, message.content


def _with_content(message: Any, content: Any) -> Any:
    if isinstance(message, dict):
        return {**message, "content": content}
    return dataclasses.replace(message, content=content)


def _is_image(part: Any) -> bool:
    return isinstance(part, dict) and part.get("type") in IMAGE_TYPES


def _image_parts(messages: list) -> list[dict]:
    parts = []
    for message in messages:
        _, content = role_and_content(message)
        if isinstance(content, list):
            parts += [part for part in content if _is_image(part)]
    return parts


def count_images(messages: list) -> int:
    """How many image parts the messages hold."""
    return len(_image_parts(messages))


def _kept(messages: list, max_images: int) -> set[int]:
    """Indices (in order over all messages) of the images kept: every pinned one, then the last others."""
    images = _image_parts(messages)
    pinned = [i for i, p in enumerate(images) if is_pinned(p)][-max_images:]
    room = max(0, max_images - len(pinned))
    others = [i for i, p in enumerate(images) if i not in pinned]
    return set(pinned) | set(others[max(0, len(others) - room) :] if room else [])


def limit_images(messages: list, max_images: int, max_side: int) -> list:
    """A copy of ``messages`` with at most ``max_images`` images, each downscaled to ``max_side``: every pinned
    image (:func:`pin`) and, in the room left, the LAST others.

    Every dropped image becomes a text part saying so. Image parts holding a URL (``image_url``) are counted and
    dropped the same way but passed on unscaled. The input messages and images are left untouched.
    """
    kept = _kept(messages, max_images)
    note = {"type": "text", "text": OMITTED_NOTE.format(n=max_images)}
    index = 0
    out = []
    for message in messages:
        _, content = role_and_content(message)
        if not isinstance(content, list):
            out.append(message)
            continue
        parts = []
        for part in content:
            if not _is_image(part):
                parts.append(part)
                continue
            if index not in kept:
                parts.append(dict(note))
            elif part["type"] == "image":
                image = to_pil(part["image"])
                empty = image.width < 1 or image.height < 1
                parts.append(
                    {"type": "text", "text": UNREADABLE_NOTE.format(why="empty image")}
                    if empty
                    else {**part, "image": downscale(image, max_side)}
                )
            else:
                parts.append(part)
            index += 1
        out.append(_with_content(message, parts))
    return out


UNREADABLE_NOTE = "[image missing: it could not be sent ({why})]"


def unreadable(url: str) -> str | None:
    """Why an image ``data:`` URL would not reach the model as a picture (None when it decodes to a non-empty
    image). URLs that are not ``data:`` URLs are the server's to fetch and are not checked."""
    import base64
    import binascii
    import io

    if not isinstance(url, str) or not url.startswith("data:"):
        return None if isinstance(url, str) else "no URL"
    try:
        raw = base64.b64decode(url.split(",", 1)[1], validate=True)
        with Image.open(io.BytesIO(raw)) as im:
            im.load()
            if im.width < 1 or im.height < 1:
                return "empty image"
    except (IndexError, binascii.Error, OSError, ValueError) as exc:
        return f"it does not decode: {type(exc).__name__}"
    return None


def drop_unreadable(messages: list[dict]) -> list[dict]:
    """OpenAI-style messages with every ``image_url`` part that does not decode replaced by a note saying so."""
    out = []
    for message in messages:
        content = message.get("content")
        if isinstance(content, list):
            parts = []
            for part in content:
                url = part.get("image_url", {}) if isinstance(part, dict) and part.get("type") == "image_url" else None
                why = unreadable(url.get("url") if isinstance(url, dict) else url) if url is not None else None
                parts.append({"type": "text", "text": UNREADABLE_NOTE.format(why=why)} if why else part)
            message = {**message, "content": parts}
        out.append(message)
    return out
