"""Every entity the console edits, by the name its pages and routes use."""
from __future__ import annotations

from typing import Dict

from .affiliations import AffiliationEditor
from .aliases import AliasEditor
from .editions import EditionEditor
from .editor import Editor
from .places import PlaceEditor
from .positions import PositionEditor
from .staff_answers import StaffAnswerEditor

affiliations = AffiliationEditor()
editions = EditionEditor()
positions = PositionEditor()
places = PlaceEditor()
aliases = AliasEditor()
answers = StaffAnswerEditor()

EDITORS: Dict[str, Editor] = {e.noun: e for e in (affiliations, editions, positions, places, aliases, answers)}
