"""All mapped classes; importing this module registers every table on ``Base.metadata``."""

from kamdesk.db.base import Base
from kamdesk.db.models.account import (
    MASTER_DATA_FIELDS,
    Account,
    AccountNote,
    Attachment,
    Contact,
    Evaluation,
)
from kamdesk.db.models.activity import Complaint, KnowledgeArticle, Reminder, Visit, VisitPlan
from kamdesk.db.models.commerce import (
    AdviceDecision,
    Product,
    PurchaseLine,
    SalesOrder,
    SalesPlan,
    StockCount,
)
from kamdesk.db.models.local import AuditEntry, OutboxEntry, SyncConflict, SyncState
from kamdesk.db.models.org import Territory, User
from kamdesk.db.models.server import (
    ChangeLog,
    Credential,
    LoginAttempt,
    MutationResult,
    PartitionCounter,
    RefreshToken,
    SyncClient,
)

__all__ = [
    "MASTER_DATA_FIELDS",
    "Account",
    "AccountNote",
    "AdviceDecision",
    "Attachment",
    "AuditEntry",
    "Base",
    "ChangeLog",
    "Complaint",
    "Contact",
    "Credential",
    "Evaluation",
    "KnowledgeArticle",
    "LoginAttempt",
    "MutationResult",
    "OutboxEntry",
    "PartitionCounter",
    "Product",
    "PurchaseLine",
    "RefreshToken",
    "Reminder",
    "SalesOrder",
    "SalesPlan",
    "StockCount",
    "SyncClient",
    "SyncConflict",
    "SyncState",
    "Territory",
    "User",
    "Visit",
    "VisitPlan",
]

SYNCED_MODELS = (
    Territory,
    User,
    Account,
    Contact,
    AccountNote,
    Evaluation,
    Attachment,
    Product,
    PurchaseLine,
    StockCount,
    SalesPlan,
    SalesOrder,
    AdviceDecision,
    Visit,
    VisitPlan,
    Reminder,
    Complaint,
    KnowledgeArticle,
)
