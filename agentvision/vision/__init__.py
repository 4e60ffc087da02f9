"""Image analysis shared by the Reviewer, the judge and the tools: pure functions on numpy arrays.

Images are uint8 sRGB (H, W, 3) as renderers return them; masks are bool (H, W); positions are
normalised (x right, y down, 0..1); angles are degrees, positive clockwise as the viewer sees them
(the sign of ``Camera.roll_deg``). Results are dataclasses with ``to_dict()``.

- :mod:`.exposure`: luminance, lightness, exposure_stats, is_black, is_blown_out, exposure_score
- :mod:`.composition`: centroid, thirds, placement_of, placement_score, coverage, cut_off, margins,
  headroom, balance, composition_analysis
- :mod:`.lines`: edge_map, edge_overlay, line_segments, horizon_tilt, verticals_tilt, roll_estimate
- :mod:`.aesthetics`: sharpness, colourfulness, aesthetic_score
"""

from agentvision.vision.aesthetics import AestheticScore, aesthetic_score, colourfulness, sharpness
from agentvision.vision.composition import (
    PLACEMENTS,
    Balance,
    CutOff,
    Margins,
    Thirds,
    balance,
    centroid,
    composition_analysis,
    coverage,
    cut_off,
    headroom,
    margins,
    mask_bbox,
    mask_from_ids,
    mask_of,
    placement_of,
    placement_score,
    subject_mask,
    thirds,
    visual_weight,
)
from agentvision.vision.exposure import (
    ExposureScore,
    ExposureStats,
    exposure_score,
    exposure_stats,
    is_black,
    is_blown_out,
    lightness,
    luminance,
)
from agentvision.vision.lines import (
    HorizonEstimate,
    RollEstimate,
    VerticalsEstimate,
    edge_map,
    edge_overlay,
    horizon_tilt,
    id_edges,
    line_segments,
    roll_estimate,
    verticals_tilt,
)

__all__ = [
    "PLACEMENTS",
    "AestheticScore",
    "Balance",
    "CutOff",
    "ExposureScore",
    "ExposureStats",
    "HorizonEstimate",
    "Margins",
    "RollEstimate",
    "Thirds",
    "VerticalsEstimate",
    "aesthetic_score",
    "balance",
    "centroid",
    "colourfulness",
    "composition_analysis",
    "coverage",
    "cut_off",
    "edge_map",
    "edge_overlay",
    "exposure_score",
    "exposure_stats",
    "headroom",
    "horizon_tilt",
    "id_edges",
    "is_black",
    "is_blown_out",
    "lightness",
    "line_segments",
    "luminance",
    "margins",
    "mask_bbox",
    "mask_from_ids",
    "mask_of",
    "placement_of",
    "placement_score",
    "roll_estimate",
    "sharpness",
    "subject_mask",
    "thirds",
    "verticals_tilt",
    "visual_weight",
]
