"""Scenes: the data model, the library, file loading, lighting presets and geometric queries."""
