"""All tables. Importing this module registers every model on Base.metadata."""

from db.base import Base
from db.models import account as account
from db.models import case as case
from db.models import catalogue as catalogue
from db.models import document as document
from db.models import hall, numbering, sync
from db.models import manager as manager
from db.models import organ as organ
from db.models import queue as queue

__all__ = ["Base", "hall", "numbering", "sync"]
