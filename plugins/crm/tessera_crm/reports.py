"""Sales reports shaped for charts (see :mod:`tessera_crm.charts`). Under /api/v1/crm/reports.

Each report is one or two grouped queries in PostgreSQL over the deals the caller may see (the
record rule of ``crm.deal.read``: a rep's reports cover their own deals). Amounts are never
added across currencies: every amount series names its currency.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any

from litestar import Controller, get
from litestar.params import QueryParameter
from sqlalchemy import ColumnElement, Date, DateTime, cast, func, select

from tessera.plugin import Actor, Invalid, Member, Uow, requires, visible_to
from tessera_crm.charts import (
    DEFAULT_DAYS,
    ActivitiesOut,
    Amount,
    DealsWonOut,
    ForecastOut,
    FunnelOut,
    PipelineValueOut,
    Series,
    Undated,
    WinRateOut,
    bounds,
    bucket_starts,
    counts,
    money,
    month_start,
    percent,
    period,
    zero,
)
from tessera_crm.models import ACTIVITY_KINDS, Activity, Deal, Pipeline, Stage

READ = "crm.report.read"
#: Reports cover the deals this permission's record rule lets the caller see.
DEALS = "crm.deal.read"
#: The activities report covers the activities this permission's record rule shows.
ACTIVITIES = "crm.activity.read"
KindQuery = Annotated[
    str | None, QueryParameter(pattern=f"^({'|'.join(ACTIVITY_KINDS)})$", description="One kind")
]

FromQuery = Annotated[
    date | None, QueryParameter(name="from", description="First day (UTC) of the period")
]
ToQuery = Annotated[date | None, QueryParameter(description="Last day (UTC) of the period")]
PipelineQuery = Annotated[uuid.UUID | None, QueryParameter(description="Default: the default")]
CurrencyQuery = Annotated[
    str | None, QueryParameter(pattern=r"^[A-Z]{3}$", description="Only amounts in this currency")
]
IntervalQuery = Annotated[str, QueryParameter(pattern=r"^(week|month)$")]


# --- Queries ------------------------------------------------------------------------------


def day_bucket(interval: str, column: Any) -> ColumnElement[date]:
    """``date_trunc`` of a date (or of a UTC timestamp) to its week or month, as a date."""
    return cast(func.date_trunc(interval, cast(column, DateTime())), Date)


async def chosen_pipeline(uow: Uow, pipeline_id: uuid.UUID | None) -> Pipeline:
    query = select(Pipeline)
    query = (
        query.where(Pipeline.id == pipeline_id) if pipeline_id else query.where(Pipeline.is_default)
    )
    found = (await uow.db.scalars(query.order_by(Pipeline.id).limit(1))).first()
    if found is None:
        raise Invalid("pipeline_id", "no such pipeline" if pipeline_id else "no default pipeline")
    return found


async def checked_pipeline(uow: Uow, pipeline_id: uuid.UUID | None) -> uuid.UUID | None:
    return (await chosen_pipeline(uow, pipeline_id)).id if pipeline_id else None


def deal_filters(
    actor: Actor, pipeline_id: uuid.UUID | None, currency: str | None
) -> list[ColumnElement[bool]]:
    found = [visible_to(actor, DEALS, Deal.owner_id)]
    if pipeline_id is not None:
        found.append(Deal.pipeline_id == pipeline_id)
    if currency is not None:
        found.append(Deal.currency == currency)
    return found


def stage_join() -> ColumnElement[bool]:
    return (Stage.tenant_id == Deal.tenant_id) & (Stage.id == Deal.stage_id)


def weighted_sum() -> ColumnElement[Decimal]:
    """The sum of amount * probability / 100, to the cent."""
    return func.round(func.sum(Deal.amount * Stage.probability) / 100, 2)


# --- Reports ------------------------------------------------------------------------------


class ReportsController(Controller):
    path = "/reports"
    tags = ["crm"]

    @get("/forecast", summary="Weighted forecast by month of expected close", opt=requires(READ))
    async def forecast(
        self,
        actor: Member,
        uow: Uow,
        from_: FromQuery = None,
        to: ToQuery = None,
        pipeline_id: PipelineQuery = None,
        currency: CurrencyQuery = None,
    ) -> ForecastOut:
        """Open and won deals by the month they are expected to close (default: this month
        and the next two): open amount, weighted amount (amount * stage probability / 100) and
        won amount, per currency. Deals with no expected close date come in ``undated``."""
        if from_ is None and to is None:
            from_ = month_start(datetime.now(UTC).date())
            to = month_start(from_, 3) - timedelta(days=1)
        start, end = period(from_, to, default=timedelta(days=DEFAULT_DAYS))
        is_open, is_won = Deal.status == "open", Deal.status == "won"
        month = day_bucket("month", Deal.expected_close)
        query = (
            select(
                month,
                Deal.currency,
                func.count().filter(is_open),
                func.coalesce(func.sum(Deal.amount).filter(is_open), 0),
                func.coalesce(
                    func.round(func.sum(Deal.amount * Stage.probability).filter(is_open) / 100, 2),
                    0,
                ),
                func.count().filter(is_won),
                func.coalesce(func.sum(Deal.amount).filter(is_won), 0),
            )
            .join(Stage, stage_join())
            .where(
                *deal_filters(actor, await checked_pipeline(uow, pipeline_id), currency),
                Deal.status.in_(("open", "won")),
                Deal.expected_close.between(start, end) | Deal.expected_close.is_(None),
            )
            .group_by(month, Deal.currency)
        )
        months = bucket_starts(start, end, "month")
        measures = ("open_count", "open", "weighted", "won_count", "won")
        by_currency: dict[str, dict[str, list[Decimal | None]]] = {}
        undated = []
        for bucket, code, open_count, open_, weighted, won_count, won in (
            await uow.db.execute(query)
        ).all():
            figures = (open_count, money(open_), money(weighted), won_count, money(won))
            if bucket is None:
                undated.append(Undated(code, *figures))
                continue
            table = by_currency.setdefault(
                code,
                {
                    m: [Decimal(0) if m.endswith("count") else zero()] * len(months)
                    for m in measures
                },
            )
            for measure, value in zip(measures, figures, strict=True):
                table[measure][months.index(bucket)] = Decimal(value)
        return ForecastOut(
            from_=start,
            to=end,
            labels=[m.strftime("%Y-%m") for m in months],
            series=[
                Series(measure, data, code)
                for code in sorted(by_currency)
                for measure, data in by_currency[code].items()
            ],
            undated=sorted(undated, key=lambda u: u.currency),
        )

    @get("/funnel", summary="Conversion funnel of a pipeline's stages", opt=requires(READ))
    async def funnel(
        self,
        actor: Member,
        uow: Uow,
        from_: FromQuery = None,
        to: ToQuery = None,
        pipeline_id: PipelineQuery = None,
        currency: CurrencyQuery = None,
    ) -> FunnelOut:
        """Deals created in the period, by how far along the pipeline they got: a deal reached
        its stage and every earlier one; a won deal reached them all, and "Won". ``reached``,
        ``in_stage`` (open deals there now; won ones for "Won") and their values per currency;
        ``conversion``: percent of the previous step's deals that reached this one."""
        start, end = period(from_, to, default=timedelta(days=DEFAULT_DAYS))
        pipeline = await chosen_pipeline(uow, pipeline_id)
        stages = (
            await uow.db.scalars(
                select(Stage).where(Stage.pipeline_id == pipeline.id).order_by(Stage.position)
            )
        ).all()
        since, until = bounds(start, end)
        query = (
            select(Stage.position, Deal.status, Deal.currency, func.count(), func.sum(Deal.amount))
            .join(Stage, stage_join())
            .where(
                *deal_filters(actor, pipeline.id, currency),
                Deal.created_at >= since,
                Deal.created_at < until,
            )
            .group_by(Stage.position, Deal.status, Deal.currency)
        )
        rows = (await uow.db.execute(query)).all()
        steps = len(stages) + 1
        reached, here = [0] * steps, [0] * steps
        values: dict[str, dict[str, list[Decimal]]] = {}
        for position, status, code, count, amount in rows:
            money = values.setdefault(
                code, {"reached": [zero()] * steps, "in_stage": [zero()] * steps}
            )
            for index, stage in enumerate(stages):
                if status == "won" or stage.position <= position:
                    reached[index] += count
                    money["reached"][index] += amount
                if status == "open" and stage.position == position:
                    here[index] += count
                    money["in_stage"][index] += amount
            if status == "won":
                for tally, total in ((reached, money["reached"]), (here, money["in_stage"])):
                    tally[-1] += count
                    total[-1] += amount
        conversion = [None] + [percent(reached[i], reached[i - 1]) for i in range(1, steps)]
        return FunnelOut(
            from_=start,
            to=end,
            labels=[*(s.name for s in stages), "Won"],
            series=[
                Series("reached", counts(reached)),
                Series("in_stage", counts(here)),
                Series("conversion", conversion),
                *(
                    Series(f"{name}_value", list(data), code)
                    for code in sorted(values)
                    for name, data in values[code].items()
                ),
            ],
            pipeline_id=pipeline.id,
            stage_ids=[*(s.id for s in stages), None],
        )

    @get("/win-rate", summary="Deals won of those closed, overall and by owner", opt=requires(READ))
    async def win_rate(
        self,
        actor: Member,
        uow: Uow,
        from_: FromQuery = None,
        to: ToQuery = None,
        pipeline_id: PipelineQuery = None,
    ) -> WinRateOut:
        """Won / (won + lost), in percent, of the deals closed in the period; per owner in
        ``series`` (by most won), overall in ``won``, ``lost`` and ``rate``."""
        start, end = period(from_, to, default=timedelta(days=DEFAULT_DAYS))
        since, until = bounds(start, end)
        won = func.count().filter(Deal.status == "won")
        lost = func.count().filter(Deal.status == "lost")
        query = (
            select(Deal.owner_id, func.grouping(Deal.owner_id), won, lost)
            .where(
                *deal_filters(actor, await checked_pipeline(uow, pipeline_id), None),
                Deal.status.in_(("won", "lost")),
                Deal.closed_at >= since,
                Deal.closed_at < until,
            )
            .group_by(func.rollup(Deal.owner_id))
        )
        rows = (await uow.db.execute(query)).all()
        total = next(((w, lo) for _, whole, w, lo in rows if whole), (0, 0))
        owners = sorted(
            ((owner, w, lo) for owner, whole, w, lo in rows if not whole),
            key=lambda row: (-row[1], str(row[0] or "")),
        )
        return WinRateOut(
            from_=start,
            to=end,
            labels=[str(owner) if owner else "(no owner)" for owner, _, _ in owners],
            series=[
                Series("won", counts(w for _, w, _ in owners)),
                Series("lost", counts(lo for _, _, lo in owners)),
                Series("rate", [percent(w, w + lo) for _, w, lo in owners]),
            ],
            won=total[0],
            lost=total[1],
            rate=percent(total[0], sum(total)),
            owner_ids=[owner for owner, _, _ in owners],
        )

    @get("/pipeline-value", summary="Open value by stage, per currency", opt=requires(READ))
    async def pipeline_value(
        self,
        actor: Member,
        uow: Uow,
        from_: FromQuery = None,
        to: ToQuery = None,
        pipeline_id: PipelineQuery = None,
        currency: CurrencyQuery = None,
    ) -> PipelineValueOut:
        """The open deals of a pipeline now, by stage: how many, their value and weighted
        value per currency. With ``from``/``to``, only those expected to close then."""
        pipeline = await chosen_pipeline(uow, pipeline_id)
        stages = (
            await uow.db.scalars(
                select(Stage).where(Stage.pipeline_id == pipeline.id).order_by(Stage.position)
            )
        ).all()
        filters = [*deal_filters(actor, pipeline.id, currency), Deal.status == "open"]
        start = end = None
        if from_ is not None or to is not None:
            start, end = period(from_, to, default=timedelta(days=DEFAULT_DAYS))
            filters.append(Deal.expected_close.between(start, end))
        query = (
            select(
                Deal.stage_id, Deal.currency, func.count(), func.sum(Deal.amount), weighted_sum()
            )
            .join(Stage, stage_join())
            .where(*filters)
            .group_by(Deal.stage_id, Deal.currency)
        )
        index = {stage.id: i for i, stage in enumerate(stages)}
        number = [0] * len(stages)
        values: dict[str, dict[str, list[Decimal | None]]] = {}
        for stage_id, code, count, amount, weighted in (await uow.db.execute(query)).all():
            money = values.setdefault(
                code, {"open": [zero()] * len(stages), "weighted": [zero()] * len(stages)}
            )
            number[index[stage_id]] += count
            money["open"][index[stage_id]] = amount
            money["weighted"][index[stage_id]] = weighted
        return PipelineValueOut(
            from_=start,
            to=end,
            labels=[s.name for s in stages],
            series=[
                Series("count", counts(number)),
                *(
                    Series(name, data, code)
                    for code in sorted(values)
                    for name, data in values[code].items()
                ),
            ],
            pipeline_id=pipeline.id,
            stage_ids=[s.id for s in stages],
        )

    @get(
        "/deals-won",
        summary="Deals won per owner, week by week or month by month",
        opt=requires(READ),
    )
    async def deals_won(
        self,
        actor: Member,
        uow: Uow,
        from_: FromQuery = None,
        to: ToQuery = None,
        interval: IntervalQuery = "month",
        pipeline_id: PipelineQuery = None,
        currency: CurrencyQuery = None,
    ) -> DealsWonOut:
        """Deals won in the period by when they closed: per owner a ``count`` series and an
        ``amount`` series per currency; labels are the first days of the weeks or months."""
        start, end = period(from_, to, default=timedelta(days=DEFAULT_DAYS))
        since, until = bounds(start, end)
        bucket = day_bucket(interval, func.timezone("UTC", Deal.closed_at))
        query = (
            select(bucket, Deal.owner_id, Deal.currency, func.count(), func.sum(Deal.amount))
            .where(
                *deal_filters(actor, await checked_pipeline(uow, pipeline_id), currency),
                Deal.status == "won",
                Deal.closed_at >= since,
                Deal.closed_at < until,
            )
            .group_by(bucket, Deal.owner_id, Deal.currency)
        )
        starts = bucket_starts(start, end, interval)
        number: dict[uuid.UUID | None, list[int]] = defaultdict(lambda: [0] * len(starts))
        money: dict[tuple[uuid.UUID | None, str], list[Decimal | None]] = defaultdict(
            lambda: [zero()] * len(starts)
        )
        totals: dict[str, Decimal] = defaultdict(zero)
        for day, owner, code, count, amount in (await uow.db.execute(query)).all():
            number[owner][starts.index(day)] += count
            money[(owner, code)][starts.index(day)] = amount
            totals[code] += amount
        owners = sorted(number, key=lambda owner: str(owner or ""))
        return DealsWonOut(
            from_=start,
            to=end,
            labels=[day.isoformat() for day in starts],
            series=[
                series
                for owner in owners
                for series in (
                    Series("count", counts(number[owner]), None, owner),
                    *(
                        Series("amount", money[(owner, code)], code, owner)
                        for code in sorted(c for o, c in money if o == owner)
                    ),
                )
            ],
            interval=interval,
            count=sum(sum(row) for row in number.values()),
            amounts=[Amount(code, totals[code]) for code in sorted(totals)],
        )

    @get(
        "/activities",
        summary="Activities logged per owner and kind, by week or month",
        opt=requires(READ),
    )
    async def activities(
        self,
        actor: Member,
        uow: Uow,
        from_: FromQuery = None,
        to: ToQuery = None,
        interval: IntervalQuery = "month",
        kind: KindQuery = None,
    ) -> ActivitiesOut:
        """Activities created in the period, under the caller's record rule for activities: a
        ``count`` series per owner and kind (the series' name is the kind)."""
        start, end = period(from_, to, default=timedelta(days=DEFAULT_DAYS))
        since, until = bounds(start, end)
        bucket = day_bucket(interval, func.timezone("UTC", Activity.created_at))
        query = (
            select(bucket, Activity.owner_id, Activity.kind, func.count())
            .where(
                visible_to(actor, ACTIVITIES, Activity.owner_id),
                Activity.created_at >= since,
                Activity.created_at < until,
            )
            .group_by(bucket, Activity.owner_id, Activity.kind)
        )
        if kind is not None:
            query = query.where(Activity.kind == kind)
        starts = bucket_starts(start, end, interval)
        number: dict[tuple[uuid.UUID | None, str], list[int]] = defaultdict(
            lambda: [0] * len(starts)
        )
        kinds: dict[str, int] = defaultdict(int)
        for day, owner, what, count in (await uow.db.execute(query)).all():
            number[(owner, what)][starts.index(day)] += count
            kinds[what] += count
        keys = sorted(number, key=lambda key: (str(key[0] or ""), key[1]))
        return ActivitiesOut(
            from_=start,
            to=end,
            labels=[day.isoformat() for day in starts],
            series=[
                Series(what, counts(number[(owner, what)]), None, owner) for owner, what in keys
            ],
            interval=interval,
            count=sum(kinds.values()),
            kinds=dict(sorted(kinds.items())),
        )
