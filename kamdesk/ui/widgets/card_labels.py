"""Field labels for the card, through Qt's catalogue (English source, Chinese in pending JSON)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def account_field_labels() -> dict[str, str]:
    return {
        "code": QCoreApplication.translate("CardFields", "Account code"),
        "name": QCoreApplication.translate("CardFields", "Shop name"),
        "legal_name": QCoreApplication.translate("CardFields", "Legal name"),
        "licence_no": QCoreApplication.translate("CardFields", "Licence no."),
        "licence_expiry": QCoreApplication.translate("CardFields", "Licence expiry"),
        "owner_name": QCoreApplication.translate("CardFields", "Owner"),
        "phone": QCoreApplication.translate("CardFields", "Phone"),
        "business_format": QCoreApplication.translate("CardFields", "Business format"),
        "address": QCoreApplication.translate("CardFields", "Address"),
        "district": QCoreApplication.translate("CardFields", "District"),
        "street": QCoreApplication.translate("CardFields", "Street"),
        "latitude": QCoreApplication.translate("CardFields", "Latitude"),
        "longitude": QCoreApplication.translate("CardFields", "Longitude"),
        "opening_hours": QCoreApplication.translate("CardFields", "Opening hours"),
        "area_m2": QCoreApplication.translate("CardFields", "Floor area (m²)"),
        "status": QCoreApplication.translate("CardFields", "Status"),
        "lifecycle_override": QCoreApplication.translate("CardFields", "Lifecycle (manual)"),
        "relationship_grade": QCoreApplication.translate("CardFields", "Relationship grade"),
        "loyalty": QCoreApplication.translate("CardFields", "Loyalty"),
        "abc_override": QCoreApplication.translate("CardFields", "ABC (manual)"),
        "man_money": QCoreApplication.translate("CardFields", "Money (M)"),
        "man_authority": QCoreApplication.translate("CardFields", "Authority (A)"),
        "man_need": QCoreApplication.translate("CardFields", "Need (N)"),
        "credit_limit_fen": QCoreApplication.translate("CardFields", "Credit limit"),
        "credit_terms_days": QCoreApplication.translate("CardFields", "Credit terms (days)"),
        "price_group": QCoreApplication.translate("CardFields", "Price group"),
        "lead_time_days": QCoreApplication.translate("CardFields", "Lead time (days)"),
        "downstream_customers": QCoreApplication.translate("CardFields", "Downstream customers"),
        "coverage": QCoreApplication.translate("CardFields", "Coverage"),
        "warehouse_m2": QCoreApplication.translate("CardFields", "Warehouse (m²)"),
        "vehicles": QCoreApplication.translate("CardFields", "Vehicles"),
        "staff": QCoreApplication.translate("CardFields", "Staff"),
        "capital_fen": QCoreApplication.translate("CardFields", "Capital"),
        "best_selling_brands": QCoreApplication.translate("CardFields", "Best-selling brands held"),
        "consumer_groups": QCoreApplication.translate("CardFields", "Main consumer groups"),
        "tags": QCoreApplication.translate("CardFields", "Tags"),
        "remarks": QCoreApplication.translate("CardFields", "Remarks"),
    }


def contact_field_labels() -> dict[str, str]:
    return {
        "name": QCoreApplication.translate("CardFields", "Name"),
        "role": QCoreApplication.translate("CardFields", "Role"),
        "phone": QCoreApplication.translate("CardFields", "Phone"),
        "birthday": QCoreApplication.translate("CardFields", "Birthday"),
        "birthday_lunar": QCoreApplication.translate("CardFields", "Lunar birthday"),
        "lunar_month": QCoreApplication.translate("CardFields", "Lunar month"),
        "lunar_day": QCoreApplication.translate("CardFields", "Lunar day"),
        "lunar_leap": QCoreApplication.translate("CardFields", "Leap month"),
        "interests": QCoreApplication.translate("CardFields", "Interests"),
        "family_notes": QCoreApplication.translate("CardFields", "Family"),
        "is_decision_maker": QCoreApplication.translate("CardFields", "Decision maker"),
    }


def score_labels() -> dict[str, str]:
    return {
        "enthusiasm": QCoreApplication.translate("CardFields", "Enthusiasm"),
        "flexibility": QCoreApplication.translate("CardFields", "Flexibility"),
        "distribution_reach": QCoreApplication.translate("CardFields", "Distribution reach"),
        "capital_strength": QCoreApplication.translate("CardFields", "Capital strength"),
        "brands_held": QCoreApplication.translate("CardFields", "Best-selling brands"),
        "logistics": QCoreApplication.translate("CardFields", "Storage, vehicles, staff"),
        "credit": QCoreApplication.translate("CardFields", "Credit"),
        "social_relations": QCoreApplication.translate("CardFields", "Social relations"),
        "potential": QCoreApplication.translate("CardFields", "Potential"),
    }
