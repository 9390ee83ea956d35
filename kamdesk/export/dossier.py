"""The account dossier (客户档案) as one PDF: sections in the order a supervisor reads them."""

from __future__ import annotations

from reportlab.platypus import Flowable

from kamdesk.export import dossier_activity as activity
from kamdesk.export import dossier_profile as profile
from kamdesk.export.dossier_data import DossierData
from kamdesk.export.labels import Labels
from kamdesk.export.options import ExportOptions
from kamdesk.export.page import FRAME_WIDTH, PageDecor, render_story


def render_dossier(data: DossierData, options: ExportOptions | None = None) -> bytes:
    """The dossier of one account as PDF bytes."""
    options = options or ExportOptions()
    labels = Labels(options.lang)
    generated_at = options.timestamp()
    as_of = data.as_of or generated_at.date()
    card = data.account
    width = FRAME_WIDTH
    story: list[Flowable] = [
        *profile.header(card, as_of, labels, width),
        *profile.basic_card(card, labels, width),
        *profile.capability(data.capability, labels, width),
        *profile.contacts(data.contacts, as_of, labels, width),
        *profile.evaluations(data.evaluations, labels, width),
        *activity.purchases(data.purchases, data.price_tiers, as_of, labels, width),
        *activity.top_products(data.top_products, labels, width),
        *activity.stock_and_advice(data.stock, data.advice, labels, width),
        *activity.debts(data.debts, card.credit_limit, as_of, labels, width),
        *activity.visits(data.visits, labels, width),
        *activity.complaints(data.complaints, labels, width),
        *activity.reminders(data.reminders, labels, width),
        *activity.notes(data.notes, labels, width),
    ]
    title = f"{labels.t('doc.dossier')} · {card.name}"
    decor = PageDecor(
        labels=labels,
        doc_title=labels.t("doc.dossier"),
        header_right=f"{card.name}  {card.code}",
        generated_at=generated_at,
        generated_by=options.generated_by,
    )
    return render_story(
        story, decor, title=title, author=options.generated_by, subject=labels.t("doc.dossier")
    )
