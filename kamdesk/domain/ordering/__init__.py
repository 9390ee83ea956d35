"""Ordering advice: sell-through, forecasts, suggested orders, advice lists and shop margins.

Plain dataclasses in and out; no Qt, no database. Entry point: :func:`advise_territory`.
"""

from __future__ import annotations

from kamdesk.domain.ordering.advice import AdviceItem, AdviceKind, Severity
from kamdesk.domain.ordering.config import OrderingConfig
from kamdesk.domain.ordering.demand_class import DemandClass
from kamdesk.domain.ordering.errors import (
    InvalidConfigError,
    InvalidInputError,
    OrderingError,
    UnknownProductError,
)
from kamdesk.domain.ordering.forecast import (
    ForecastInput,
    ForecastWorking,
    Method,
    PanelForecast,
    forecast_panel,
)
from kamdesk.domain.ordering.history_columns import HistoryColumns, columns_from_histories
from kamdesk.domain.ordering.margin import AccountMargin, ProductMargin
from kamdesk.domain.ordering.models import (
    AccountHistory,
    AccountInfo,
    Delivery,
    MarketPlan,
    OpenOrder,
    PriceChange,
    ProductInfo,
    Promotion,
    StockCount,
)
from kamdesk.domain.ordering.orders import Cap, OrderSuggestion, OrderWorking
from kamdesk.domain.ordering.sellthrough import CountFlag, Ledger, SellThrough, sell_through
from kamdesk.domain.ordering.territory import (
    AccountAdvice,
    TerritoryAdvice,
    advise_territory,
    advise_territory_columns,
)

__all__ = [
    "AccountAdvice",
    "AccountHistory",
    "AccountInfo",
    "AccountMargin",
    "AdviceItem",
    "AdviceKind",
    "Cap",
    "CountFlag",
    "Delivery",
    "DemandClass",
    "ForecastInput",
    "ForecastWorking",
    "HistoryColumns",
    "InvalidConfigError",
    "InvalidInputError",
    "Ledger",
    "MarketPlan",
    "Method",
    "OpenOrder",
    "OrderSuggestion",
    "OrderWorking",
    "OrderingConfig",
    "OrderingError",
    "PanelForecast",
    "PriceChange",
    "ProductInfo",
    "ProductMargin",
    "Promotion",
    "SellThrough",
    "Severity",
    "StockCount",
    "TerritoryAdvice",
    "UnknownProductError",
    "advise_territory",
    "advise_territory_columns",
    "columns_from_histories",
    "forecast_panel",
    "sell_through",
]
