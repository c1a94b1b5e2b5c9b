"""A custom Rasa NLU component: one entity per span.

Two extractors run (the spaCy ruler for known names, a CRF for context); when both find the same
span, the message would carry it twice. The first extractor's entity is kept.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class EntityDeduplicator(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "EntityDeduplicator":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            message.set(ENTITIES, unique_spans(message.get(ENTITIES, [])), add_to_output=True)
        return messages


def unique_spans(entities: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """Keeps the first entity of each overlapping span, in message order."""
    kept: List[Dict[Text, Any]] = []
    for entity in entities:
        start, end = entity.get("start"), entity.get("end")
        if start is not None and end is not None and any(
            k.get("start") is not None and start < k["end"] and k["start"] < end for k in kept
        ):
            continue
        kept.append(entity)
    return sorted(kept, key=lambda e: (e.get("start") or 0))
