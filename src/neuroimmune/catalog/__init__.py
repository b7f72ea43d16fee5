"""The knowledge base: messengers, cells and states with identifiers, normal values and sources;
receptors with the cells that express them; and the interaction network derived from the model."""

from .entities import Entity, Receptor, entities, entity, receptors
from .network import Edge, interactions

__all__ = ["Entity", "Receptor", "entities", "entity", "receptors", "Edge", "interactions"]
