"""A supervisor's laptop opens another territory's card read-only: visible, not editable."""

from __future__ import annotations

import pytest

from kamdesk.db.engine import Store
from kamdesk.services.write_scope import ReadOnlyError, set_scope
from kamdesk.ui.pages.account_card_workspace import AccountsWorkspace


def test_card_outside_the_write_scope_is_read_only(
    workspace: AccountsWorkspace, demo_store: Store
) -> None:
    account_id = workspace.list_page.model.account_id(0)
    assert account_id is not None
    assert workspace.open_account(account_id)
    card = workspace.card_page
    assert not card.read_only and card.save_button.isEnabled()

    set_scope(demo_store, ["some-other-territory"])  # as after a supervisor's sign-in
    card.load(account_id)
    assert card.read_only
    assert not card.read_only_label.isHidden()
    assert not card.save_button.isEnabled()
    assert not card.basic.isEnabled() and not card.business.isEnabled()
    assert not card.notes.add_button.isEnabled() and card.notes.entry.isReadOnly()
    assert card.card is not None and card.card.fields["name"]  # still shown in full
    with pytest.raises(ReadOnlyError):  # and the services refuse it regardless of the UI
        card.accounts.add_note(account_id, "主管备注")

    set_scope(demo_store, None)
    card.load(account_id)
    assert not card.read_only and card.save_button.isEnabled()
    assert card.read_only_label.isHidden()
