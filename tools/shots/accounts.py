"""The accounts workspace: the list with a pinyin search and a full account card, in Chinese."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from kamdesk.db.models import Contact, PurchaseLine
from kamdesk.services import write_scope
from kamdesk.ui.pages.account_card_workspace import AccountsWorkspace
from tools.shots.context import ShotContext


def _show_case(ctx: ShotContext) -> str:
    """A buying account with several contacts, one with a lunar birthday if possible."""
    with ctx.store.session() as session:
        lunar = (
            select(Contact.account_id)
            .where(Contact.birthday_lunar.is_(True))
            .group_by(Contact.account_id)
            .order_by(func.count().desc())
        )
        buyers = select(PurchaseLine.account_id).distinct()
        account_id = session.scalar(lunar.where(Contact.account_id.in_(buyers)).limit(1))
        return str(account_id or session.scalar(buyers.limit(1)))


def take(ctx: ShotContext) -> list[Path]:
    window = ctx.window
    workspace = window.show_page("accounts")
    assert isinstance(workspace, AccountsWorkspace)
    ctx.settle()

    shots: list[Path] = []
    page = workspace.list_page
    page.search.setText("hx")
    page.apply_search()
    ctx.settle()
    shots.append(ctx.grab(window, "accounts_list_pinyin_search.png"))

    page.clear_filters()
    ctx.settle()
    workspace.open_account(_show_case(ctx))
    ctx.settle()
    card = workspace.card_page
    card.tabs.setCurrentIndex(0)
    ctx.settle()
    shots.append(ctx.grab(window, "account_card_basic.png"))
    card.tabs.setCurrentIndex(2)
    shots.append(ctx.grab(window, "account_card_contacts.png"))
    card.tabs.setCurrentIndex(4)
    shots.append(ctx.grab(window, "account_card_purchases.png"))
    card.basic.editors["phone"].input.setText("打电话给我")  # type: ignore[attr-defined]
    card.tabs.setCurrentIndex(0)
    card.save()
    shots.append(ctx.grab(window, "account_card_validation.png"))
    card.load(card.account_id or "")

    # the History tab after two edits made through the card
    owner = card.basic.editors["owner_name"].input
    owner.setText("王建国")  # type: ignore[attr-defined]
    owner.textEdited.emit("王建国")  # type: ignore[attr-defined]
    card.save()
    card.add_note("老板下周去亳州进货，周四前电话确认补货数量。")
    card.tabs.setCurrentWidget(card.history)
    ctx.settle()
    shots.append(ctx.grab(window, "account_card_history.png"))

    # the same card on a supervisor's laptop: another territory, read-only
    write_scope.set_scope(ctx.store, ["another-territory"])
    card.load(card.account_id or "")
    card.tabs.setCurrentIndex(0)
    ctx.settle()
    shots.append(ctx.grab(window, "account_card_read_only.png"))
    write_scope.set_scope(ctx.store, None)
    card.load(card.account_id or "")
    return shots
