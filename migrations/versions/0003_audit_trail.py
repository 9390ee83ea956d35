"""audit trail: account, source, client and old values on audit entries

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 19:05:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHILD_TABLES = (
    'contact', 'account_note', 'evaluation', 'attachment', 'purchase_line', 'stock_count',
    'sales_plan', 'sales_order', 'advice_decision', 'visit', 'reminder', 'complaint',
)


def upgrade() -> None:
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('account_id', sa.String(length=36), nullable=True))
        batch_op.add_column(
            sa.Column('source', sa.String(length=8), server_default='local', nullable=False)
        )
        batch_op.add_column(sa.Column('client_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('before', sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_entry_account_id'), ['account_id'], unique=False)

    # entries written before this revision: relate what can be related to an account
    op.execute("UPDATE audit_entry SET account_id = entity_id WHERE entity_table = 'account'")
    for table in CHILD_TABLES:
        op.execute(
            f"UPDATE audit_entry SET account_id = (SELECT t.account_id FROM {table} t "
            f"WHERE t.id = audit_entry.entity_id) WHERE entity_table = '{table}'"
        )


def downgrade() -> None:
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_account_id'))
        batch_op.drop_column('before')
        batch_op.drop_column('client_id')
        batch_op.drop_column('source')
        batch_op.drop_column('account_id')
