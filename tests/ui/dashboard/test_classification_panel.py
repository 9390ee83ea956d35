"""The card's classification panel: explanations with numbers, overrides, VIP buttons."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from kamdesk.db.engine import Store
from kamdesk.db.models import Account
from kamdesk.domain.enums import Role
from kamdesk.services.classification import ClassificationService
from kamdesk.ui.tasks import TaskRunner
from kamdesk.ui.widgets.classification_panel import ClassificationPanel
from tests.conftest import DEMO_TODAY


def _account(store: Store, **where: str) -> str:
    with store.session() as s:
        stmt = select(Account.id).order_by(Account.code)
        for name, value in where.items():
            stmt = stmt.where(getattr(Account, name) == value)
        return str(s.scalars(stmt.limit(1)).one())


def _panel(qtbot: Any, store: Store, role: Role = Role.MANAGER) -> ClassificationPanel:
    panel = ClassificationPanel(
        ClassificationService(store, actor_id="u1"),
        TaskRunner(),
        today=lambda: DEMO_TODAY,
        role=role,
    )
    qtbot.addWidget(panel)
    return panel


def test_panel_shows_each_classification_with_its_numbers(qtbot: Any, demo_store: Store) -> None:
    account_id = _account(demo_store, abc_tier="A")
    panel = _panel(qtbot, demo_store)
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.load(account_id)
    result = panel.result
    assert result is not None
    texts = panel.explanation_texts()
    assert texts[0].startswith("A：前")
    assert f"本户排名第{result.abc.rank}" in texts[0]
    assert "VIP" in texts[1]
    assert "进货量" in texts[2]
    assert any(stage in texts[3] for stage in ("成长期", "成熟期", "衰退期"))
    assert len(texts) >= 5


def test_overrides_show_beside_the_computed_value(qtbot: Any, demo_store: Store) -> None:
    account_id = _account(demo_store, abc_tier="A")
    with demo_store.session() as s:
        s.execute(update(Account).where(Account.id == account_id).values(abc_override="B"))
    panel = _panel(qtbot, demo_store)
    panel.load(account_id)
    assert "人工指定为B类（计算结果为A类）" in panel.explanation_texts()[0]
    badges = [w.text() for w in panel.findChildren(type(panel.message)) if "A" in w.text()]
    assert any("B" in text and "A" in text for text in badges)


def test_prospect_gets_man_and_no_evaluation(qtbot: Any, demo_store: Store) -> None:
    panel = _panel(qtbot, demo_store)
    panel.load(_account(demo_store, status="prospect"))
    joined = "\n".join(panel.explanation_texts())
    assert panel.result is not None and panel.result.man is not None
    assert panel.result.man.verdict.code in joined
    assert panel.result.evaluation is None


def test_supervisor_approves_a_candidate_from_the_panel(qtbot: Any, demo_store: Store) -> None:
    account_id = _account(demo_store, vip_state="candidate")
    manager = _panel(qtbot, demo_store)
    manager.load(account_id)
    assert manager.approve_button.isHidden()
    supervisor = _panel(qtbot, demo_store, Role.SUPERVISOR)
    supervisor.load(account_id)
    assert not supervisor.approve_button.isHidden()
    with qtbot.waitSignal(supervisor.vip_changed, timeout=10_000) as blocker:
        supervisor.approve_button.click()
    assert blocker.args == [account_id, "approved"]
    assert supervisor.result is not None
    assert supervisor.result.vip.state.value == "approved"
    assert supervisor.approve_button.isHidden()


def test_unknown_account_shows_the_error_code(qtbot: Any, demo_store: Store) -> None:
    panel = _panel(qtbot, demo_store)
    panel.load("missing")
    assert not panel.message.isHidden()
    assert "account.not_found" in panel.message.text()
