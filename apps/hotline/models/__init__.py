"""The hotline's models, split by sub-domain: the dispatch catalogue, tickets and their
record, the knowledge base, and outside access (Open311 keys, phone codes, caller SMS)."""

from apps.hotline.models.access import CallerMessage, Open311ApiKey, PhoneVerification
from apps.hotline.models.batches import TicketBatch
from apps.hotline.models.kb import KnowledgeArticle
from apps.hotline.models.record import ExtensionRequest, TicketEvent, TicketMark
from apps.hotline.models.taxonomy import Category, TimeLimit
from apps.hotline.models.tickets import ReplyStage, Ticket, TicketCoHandler

__all__ = [
    "CallerMessage",
    "Category",
    "ExtensionRequest",
    "KnowledgeArticle",
    "Open311ApiKey",
    "PhoneVerification",
    "ReplyStage",
    "Ticket",
    "TicketBatch",
    "TicketCoHandler",
    "TicketEvent",
    "TicketMark",
    "TimeLimit",
]
