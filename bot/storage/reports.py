"""Reports: the summary's aggregates, the digests' lists, subscriptions and deliveries.

The summary reads the register (``visits``), ``reception_days``, ``petitions`` and their
events with one aggregate query per table and group, each a range scan of a covering index
(migration 0008), so that a year of a large province is counted in one pass.

A petition is closed when it has ``closed_at``, or, for rows written before that column was
kept, when its status is final (then ``updated_at`` tells when).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.domain.digests import (
    DeadlineAlert,
    DeadlineStage,
    Delegation,
    DigestDelivery,
    DigestKind,
    DuePetition,
    Queue,
    StoredSubscription,
    WhenEmpty,
)
from bot.domain.petitions import FINAL, PetitionType, Status
from bot.domain.report import (
    CarriedOver,
    CaseCount,
    KindFigures,
    MonthCount,
    Outcome,
    OutcomeCount,
    PetitionGroup,
    ReceptionDayCount,
    VisitGroup,
    statuses_after,
)
from bot.storage.database import Connection, Row, from_db, to_db

_FINAL = ", ".join(f"'{status.value}'" for status in sorted(FINAL))
# Open statuses named one by one, so that (status, due_on) is read as short index ranges.
_OPEN = ", ".join(f"'{status.value}'" for status in sorted(set(Status) - FINAL))
_UNCLASSIFIED = f"'{Status.RECEIVED.value}', '{Status.CLASSIFYING.value}'"
_OUTCOMES = ", ".join(f"'{outcome.value}'" for outcome in Outcome)
# A petition with an outcome event can only be in one of these statuses: look only there.
_AFTER_OUTCOME = ", ".join(f"'{status.value}'" for status in sorted(statuses_after(Outcome)))
# When a petition reached a final status (NULL: still open).
_CLOSED = f"COALESCE(closed_at, CASE WHEN status IN ({_FINAL}) THEN updated_at END)"
_CLASSIFIED = (f"COALESCE(classified_at, CASE WHEN status NOT IN ({_UNCLASSIFIED}) "
               "THEN updated_at END)")
# A petition's case: its case_id; with none, the petition is a case of its own, unless it was
# merged into another one (then it is counted with that one).
_OWN_CASE = "(case_id IS NULL AND merged_into IS NULL)"

# Competence (and the Chairman's jurisdiction) is counted only for petitions not found
# ineligible: classification records a competence for every petition, but one that does not
# meet the conditions is filed away, not handled by anyone (Mẫu 01/XLD counts competence among
# the eligible). An unknown eligibility (an imported petition) keeps its competence.
_COMPETENCE_COUNTS = "eligible IS NOT 0"
_OURS = f"({_COMPETENCE_COUNTS} AND competence = 'ours')"
_NOT_OURS = f"({_COMPETENCE_COUNTS} AND competence IN ('not_ours', 'lower_level'))"
_CHAIRMAN = f"({_COMPETENCE_COUNTS} AND chairman_jurisdiction = 1)"


def _site(column: str, site_id: str | None) -> tuple[str, tuple[str, ...]]:
    if site_id is None:
        return "", ()
    return f" AND {column} = ?", (site_id,)


def _named_site(column: str, site_id: str | None) -> tuple[str, dict[str, str]]:
    if site_id is None:
        return "", {}
    return f" AND {column} = :site", {"site": site_id}


def _buckets(column: str, bounds: Sequence[str]) -> tuple[str, dict[str, str]]:
    """Return a CASE numbering the bucket of ``column`` (i for bounds[i] <= value <
    bounds[i+1]) and its named parameters."""
    cases = " ".join(f"WHEN {column} < :bound{index} THEN {index}"
                     for index in range(len(bounds) - 1))
    return f"CASE {cases} END", {f"bound{index}": bound
                                 for index, bound in enumerate(bounds[1:])}


# -- reception ----------------------------------------------------------------------------------


async def visit_groups(conn: Connection, start: date, end: date,
                       site_id: str | None) -> list[VisitGroup]:
    """Count receptions in [start, end] by mode, leader and delegation flag.

    A case counts as seen again when its earliest visit of the window is not its first.
    """
    where, params = _site("site_id", site_id)
    rows = await conn.execute_fetchall(
        f"""
        WITH v AS (
            SELECT mode, COALESCE(leader_id, '') AS leader, is_mass_delegation AS mass,
                   people, COALESCE(case_id, -id) AS case_key, visit_number
            FROM visits
            WHERE received_on >= ? AND received_on <= ? AND refused = 0{where}
        ),
        c AS (
            SELECT mode, leader, mass, MIN(visit_number) AS earliest
            FROM v GROUP BY mode, leader, mass, case_key
        ),
        k AS (
            SELECT mode, leader, mass, SUM(earliest = 1) AS first_cases,
                   SUM(earliest > 1) AS repeat_cases
            FROM c GROUP BY mode, leader, mass
        )
        SELECT g.mode, g.leader, g.mass, g.visits, g.people, k.first_cases, k.repeat_cases
        FROM (SELECT mode, leader, mass, COUNT(*) AS visits, SUM(people) AS people
              FROM v GROUP BY mode, leader, mass) AS g
        JOIN k ON k.mode = g.mode AND k.leader = g.leader AND k.mass = g.mass
        """,  # noqa: S608 - a constant condition with placeholders
        (start.isoformat(), end.isoformat(), *params),
    )
    return [VisitGroup(mode=r["mode"], leader_id=r["leader"] or None,
                       mass_delegation=bool(r["mass"]), visits=r["visits"],
                       people=r["people"] or 0, cases_first=r["first_cases"] or 0,
                       cases_repeat=r["repeat_cases"] or 0) for r in rows]


async def reception_day_counts(conn: Connection, start: date, end: date,
                               site_id: str | None) -> list[ReceptionDayCount]:
    """Count each leader's days in [start, end]: planned (not postponed) and held.

    A day is held when marked so, or when a leader's reception was recorded on it.
    """
    where, params = _site("d.site_id", site_id)
    rows = await conn.execute_fetchall(
        f"""
        SELECT d.leader_id,
               SUM(d.status != 'postponed') AS planned,
               SUM(d.status = 'held' OR (d.status != 'postponed' AND EXISTS (
                   SELECT 1 FROM visits v WHERE v.reception_day_id = d.id
                   AND v.mode = 'leader' AND v.refused = 0))) AS held
        FROM reception_days d
        WHERE d.day >= ? AND d.day <= ?{where}
        GROUP BY d.leader_id
        """,  # noqa: S608 - a constant condition with placeholders
        (start.isoformat(), end.isoformat(), *params),
    )
    return [ReceptionDayCount(r["leader_id"], r["planned"] or 0, r["held"] or 0) for r in rows]


async def visit_months(conn: Connection, bounds: Sequence[date],
                       site_id: str | None) -> list[MonthCount]:
    """Count receptions by month: month i holds the days from bounds[i] to bounds[i+1]."""
    if len(bounds) < 2:
        return []
    texts = [bound.isoformat() for bound in bounds]
    bucket, bucket_params = _buckets("received_on", texts)
    where, site = _named_site("site_id", site_id)
    rows = await conn.execute_fetchall(
        f"""
        SELECT {bucket} AS bucket, COUNT(*) AS n
        FROM visits
        WHERE received_on >= :start AND received_on < :end AND refused = 0{where}
        GROUP BY bucket
        """,  # noqa: S608 - constant expressions and named placeholders
        {"start": texts[0], "end": texts[-1], **bucket_params, **site},
    )
    return [MonthCount(r["bucket"], r["n"]) for r in rows]


# -- petitions ----------------------------------------------------------------------------------

# Every type, so that a range of receipt times is read as one index range per type (the
# covering indexes lead with the type): grouping by type then needs no sort.
_KINDS = ", ".join(f"'{kind.value}'" for kind in PetitionType)
_IN_WINDOW = f"kind IN ({_KINDS}) AND received_at >= :start AND received_at < :end"
_AT_RECEPTION = "source = 'visit'"


def _figures(r: Row, prefix: str = "") -> KindFigures:
    def get(name: str) -> int:
        return int(r[prefix + name] or 0)

    if prefix:
        return KindFigures(petitions=get("petitions"), cases=get("cases"), ours=get("ours"),
                           ours_cases=get("ours_cases"), not_ours=get("not_ours"),
                           not_ours_cases=get("not_ours_cases"))
    return KindFigures(
        petitions=get("petitions"), cases=get("cases"), eligible=get("eligible"),
        eligible_cases=get("eligible_cases"), ineligible=get("ineligible"), ours=get("ours"),
        ours_cases=get("ours_cases"), chairman=get("chairman"), not_ours=get("not_ours"),
        not_ours_cases=get("not_ours_cases"), anonymous=get("anonymous"),
        several_signatories=get("several"), skips_level=get("skips_level"),
        stage_none=get("stage_none"), stage_first=get("stage_first"),
        stage_repeat=get("stage_repeat"), stage_court=get("stage_court"),
        handled=get("handled"), resolved=get("resolved"), open_at_end=get("open_at_end"),
        overdue_at_end=get("overdue_at_end"))


async def petition_groups(conn: Connection, start: datetime, end: datetime, as_of: date,
                          site_id: str | None) -> list[PetitionGroup]:
    """Count, in one pass, petitions received in [start, end) by type: every figure, and
    those received at reception.

    Cases are counted here only for petitions that are a case of their own (no case_id, not
    merged); ``case_counts`` adds the cases shared through case_id. ``as_of`` is the day
    deadlines are judged on: the day after the window, or today.
    """
    where, site = _named_site("site_id", site_id)
    rows = await conn.execute_fetchall(
        f"""
        SELECT kind,
               COUNT(*) AS petitions,
               SUM({_OWN_CASE}) AS cases,
               SUM(eligible = 1) AS eligible,
               SUM(eligible = 1 AND {_OWN_CASE}) AS eligible_cases,
               SUM(eligible = 0) AS ineligible,
               SUM({_OURS}) AS ours,
               SUM({_OURS} AND {_OWN_CASE}) AS ours_cases,
               SUM({_CHAIRMAN}) AS chairman,
               SUM({_NOT_OURS}) AS not_ours,
               SUM({_NOT_OURS} AND {_OWN_CASE}) AS not_ours_cases,
               SUM(anonymous) AS anonymous,
               SUM(is_group) AS several,
               SUM(skips_level) AS skips_level,
               SUM(eligible = 1 AND prior_stage = 'none') AS stage_none,
               SUM(eligible = 1 AND prior_stage = 'first') AS stage_first,
               SUM(eligible = 1 AND prior_stage = 'second') AS stage_repeat,
               SUM(eligible = 1 AND prior_stage = 'court') AS stage_court,
               SUM({_CLASSIFIED} < :end) AS handled,
               SUM({_CLOSED} < :end) AS resolved,
               SUM({_CLOSED} IS NULL OR {_CLOSED} >= :end) AS open_at_end,
               SUM(({_CLOSED} IS NULL OR {_CLOSED} >= :end) AND due_on < :as_of)
                   AS overdue_at_end,
               SUM({_AT_RECEPTION}) AS r_petitions,
               SUM({_AT_RECEPTION} AND {_OWN_CASE}) AS r_cases,
               SUM({_AT_RECEPTION} AND {_OURS}) AS r_ours,
               SUM({_AT_RECEPTION} AND {_OURS} AND {_OWN_CASE}) AS r_ours_cases,
               SUM({_AT_RECEPTION} AND {_NOT_OURS}) AS r_not_ours,
               SUM({_AT_RECEPTION} AND {_NOT_OURS} AND {_OWN_CASE}) AS r_not_ours_cases
        FROM petitions INDEXED BY petitions_report
        WHERE {_IN_WINDOW}{where}
        GROUP BY kind
        """,  # noqa: S608 - constant expressions and named placeholders
        {"start": to_db(start), "end": to_db(end), "as_of": as_of.isoformat(), **site},
    )
    return [PetitionGroup(PetitionType(r["kind"]), _figures(r), _figures(r, "r_"))
            for r in rows]


async def petition_months(conn: Connection, bounds: Sequence[datetime],
                          site_id: str | None) -> list[MonthCount]:
    """Count petitions by type in each month: month i runs from bounds[i] to bounds[i+1].

    Each count is one short range of the index (type, time of receipt), all in one query.
    """
    where, site = _named_site("site_id", site_id)
    counts = " UNION ALL ".join(
        f"SELECT '{kind.value}' AS kind, {index} AS month, COUNT(*) AS n "  # noqa: S608 - constants and placeholders
        f"FROM petitions INDEXED BY petitions_report WHERE kind = '{kind.value}' "
        f"AND received_at >= :bound{index} AND received_at < :bound{index + 1}{where}"
        for kind in PetitionType for index in range(len(bounds) - 1))
    if not counts:
        return []
    rows = await conn.execute_fetchall(
        counts,
        {**{f"bound{index}": to_db(bound) for index, bound in enumerate(bounds)}, **site},
    )
    return [MonthCount(r["month"], r["n"], PetitionType(r["kind"])) for r in rows if r["n"]]


async def case_counts(conn: Connection, start: datetime, end: datetime,
                      site_id: str | None) -> list[CaseCount]:
    """Count the cases (case_id) of petitions received in [start, end), by type and whether
    received at reception; reads only the petitions that have a case."""
    where, site = _named_site("site_id", site_id)
    rows = await conn.execute_fetchall(
        f"""
        SELECT kind, {_AT_RECEPTION} AS at_reception,
               COUNT(DISTINCT case_id) AS cases,
               COUNT(DISTINCT CASE WHEN eligible = 1 THEN case_id END) AS eligible_cases,
               COUNT(DISTINCT CASE WHEN {_OURS} THEN case_id END) AS ours_cases,
               COUNT(DISTINCT CASE WHEN {_NOT_OURS} THEN case_id END) AS not_ours_cases
        FROM petitions INDEXED BY petitions_report_cases
        WHERE case_id IS NOT NULL AND {_IN_WINDOW}{where}
        GROUP BY kind, at_reception
        """,  # noqa: S608 - constant expressions and named placeholders
        {"start": to_db(start), "end": to_db(end), **site},
    )
    return [CaseCount(PetitionType(r["kind"]), bool(r["at_reception"]), r["cases"],
                      r["eligible_cases"], r["ours_cases"], r["not_ours_cases"]) for r in rows]


async def outcome_counts(conn: Connection, start: datetime, end: datetime,
                         site_id: str | None) -> list[OutcomeCount]:
    """Count petitions received in [start, end) guided, forwarded, chased or answered by
    the end of the window, from their events."""
    where, site = _named_site("p.site_id", site_id)
    rows = await conn.execute_fetchall(
        f"""
        SELECT p.kind, p.{_AT_RECEPTION} AS at_reception, e.to_status AS outcome,
               COUNT(DISTINCT p.id) AS petitions
        FROM petitions AS p INDEXED BY petitions_report
        CROSS JOIN petition_events AS e INDEXED BY petition_events_outcome
            -- One seek per petition reads its few events from the index (+: not by status).
            ON e.petition_id = p.id AND +e.to_status IN ({_OUTCOMES}) AND e.at < :end
        WHERE p.kind IN ({_KINDS}) AND p.received_at >= :start AND p.received_at < :end
              AND p.status IN ({_AFTER_OUTCOME}){where}
        GROUP BY p.kind, at_reception, e.to_status
        """,  # noqa: S608 - constant lists and named placeholders
        {"start": to_db(start), "end": to_db(end), **site},
    )
    return [OutcomeCount(PetitionType(r["kind"]), bool(r["at_reception"]),
                         Outcome(r["outcome"]), r["petitions"]) for r in rows]


async def carried_over(conn: Connection, start: datetime, end: datetime, as_of: date,
                       site_id: str | None) -> CarriedOver:
    """Count petitions received before ``start`` and still open then, and what became of
    them by ``end``."""
    where, site = _named_site("site_id", site_id)
    rows = list(await conn.execute_fetchall(
        f"""
        SELECT COUNT(*) AS petitions,
               SUM({_CLOSED} < :end) AS resolved,
               SUM({_CLOSED} IS NULL OR {_CLOSED} >= :end) AS open_at_end,
               SUM(({_CLOSED} IS NULL OR {_CLOSED} >= :end) AND due_on < :as_of)
                   AS overdue_at_end
        FROM petitions INDEXED BY petitions_report
        WHERE kind IN ({_KINDS}) AND received_at < :start
              AND ({_CLOSED} IS NULL OR {_CLOSED} >= :start){where}
        """,  # noqa: S608 - constant expressions and named placeholders
        {"start": to_db(start), "end": to_db(end), "as_of": as_of.isoformat(), **site},
    ))
    r = rows[0]
    return CarriedOver(petitions=r["petitions"], resolved=r["resolved"] or 0,
                       open_at_end=r["open_at_end"] or 0,
                       overdue_at_end=r["overdue_at_end"] or 0)


# -- digests ----------------------------------------------------------------------------------


async def received_by_kind(conn: Connection, start: datetime, end: datetime,
                           site_id: str | None) -> dict[PetitionType, int]:
    """Count petitions received in [start, end) by type."""
    where, params = _site("site_id", site_id)
    rows = await conn.execute_fetchall(
        f"SELECT kind, COUNT(*) AS n FROM petitions INDEXED BY petitions_report "  # noqa: S608 - placeholders only
        f"WHERE kind IN ({_KINDS}) AND received_at >= ? AND received_at < ?{where} "
        "GROUP BY kind",
        (to_db(start), to_db(end), *params),
    )
    return {PetitionType(r["kind"]): r["n"] for r in rows}


async def closed_between(conn: Connection, start: datetime, end: datetime,
                         site_id: str | None) -> int:
    """Count petitions that reached a final status in [start, end)."""
    where, params = _site("site_id", site_id)
    rows = list(await conn.execute_fetchall(
        f"SELECT COUNT(*) AS n FROM petitions WHERE status IN ({_FINAL}) "  # noqa: S608 - constant list and placeholders
        f"AND {_CLOSED} >= ? AND {_CLOSED} < ?{where}",
        (to_db(start), to_db(end), *params),
    ))
    return int(rows[0]["n"])


async def open_due(conn: Connection, first: date | None, last: date, site_id: str | None,
                   limit: int) -> tuple[int, list[DuePetition]]:
    """Return how many open petitions are due in [first, last] (first None: any time
    before), and the earliest ``limit`` of them."""
    where, params = _site("site_id", site_id)
    low = "due_on >= ?" if first is not None else "due_on IS NOT NULL"
    low_params = (first.isoformat(),) if first is not None else ()
    condition = (f"status IN ({_OPEN}) AND {low} AND due_on <= ?{where}")
    arguments = (*low_params, last.isoformat(), *params)
    counted = list(await conn.execute_fetchall(
        f"SELECT COUNT(*) AS n FROM petitions WHERE {condition}", arguments))  # noqa: S608 - constant condition
    rows = await conn.execute_fetchall(
        f"SELECT code, kind, due_on FROM petitions WHERE {condition} "  # noqa: S608 - constant condition
        "ORDER BY due_on, id LIMIT ?", (*arguments, limit))
    return int(counted[0]["n"]), [DuePetition(r["code"], PetitionType(r["kind"]),
                                              date.fromisoformat(r["due_on"])) for r in rows]


async def queue_between(conn: Connection, start: datetime, end: datetime,
                        site_id: str | None) -> Queue:
    """Count the bookings (not cancelled) starting in [start, end), regular and leaders'."""
    where, params = _site("site_id", site_id)
    rows = await conn.execute_fetchall(
        f"SELECT kind, COUNT(*) AS n, SUM(people) AS people FROM bookings "  # noqa: S608 - placeholders only
        f"WHERE status != 'cancelled' AND starts_at >= ? AND starts_at < ?{where} "
        "GROUP BY kind",
        (to_db(start), to_db(end), *params),
    )
    found = {r["kind"]: (int(r["n"]), int(r["people"] or 0)) for r in rows}
    regular = found.get("regular", (0, 0))
    leader = found.get("leader", (0, 0))
    return Queue(regular_bookings=regular[0], regular_people=regular[1],
                 leader_bookings=leader[0], leader_people=leader[1])


async def delegations_between(conn: Connection, start: datetime, end: datetime,
                              site_id: str | None, min_people: int,
                              limit: int) -> list[Delegation]:
    """Return the mass delegations booked to come in [start, end): no identity is read."""
    where, params = _site("b.site_id", site_id)
    rows = await conn.execute_fetchall(
        f"""
        SELECT b.code, b.starts_at, b.site_id, d.leader_id, b.people, b.commune_name, b.topic
        FROM bookings AS b LEFT JOIN reception_days AS d ON d.id = b.reception_day_id
        WHERE b.status != 'cancelled' AND b.starts_at >= ? AND b.starts_at < ?
              AND b.people >= ?{where}
        ORDER BY b.starts_at, b.id LIMIT ?
        """,  # noqa: S608 - placeholders only
        (to_db(start), to_db(end), min_people, *params, limit),
    )
    return [Delegation(code=r["code"], starts_at=from_db(r["starts_at"]), site_id=r["site_id"],
                       leader_id=r["leader_id"], people=r["people"], commune=r["commune_name"],
                       topic=r["topic"]) for r in rows]


async def leader_days_between(conn: Connection, first: date, last: date,
                              site_id: str | None) -> list[tuple[date, str]]:
    """Return the leaders' reception days in [first, last] that still stand."""
    where, params = _site("site_id", site_id)
    rows = await conn.execute_fetchall(
        f"SELECT day, leader_id FROM reception_days WHERE day >= ? AND day <= ? "  # noqa: S608 - placeholders only
        f"AND status IN ('scheduled', 'held'){where} ORDER BY day, leader_id",
        (first.isoformat(), last.isoformat(), *params),
    )
    return [(date.fromisoformat(r["day"]), r["leader_id"]) for r in rows]


async def visits_between(conn: Connection, first: date, last: date,
                         site_id: str | None) -> tuple[int, int]:
    """Return the receptions recorded in [first, last] and the people received."""
    where, params = _site("site_id", site_id)
    rows = list(await conn.execute_fetchall(
        f"SELECT COUNT(*) AS n, SUM(people) AS people FROM visits WHERE received_on >= ? "  # noqa: S608 - placeholders only
        f"AND received_on <= ? AND refused = 0{where}",
        (first.isoformat(), last.isoformat(), *params),
    ))
    return int(rows[0]["n"]), int(rows[0]["people"] or 0)


# -- deadline alerts ----------------------------------------------------------------------------


async def deadlines_to_alert(conn: Connection, today: date, soon_until: date,
                             limit: int) -> list[DeadlineAlert]:
    """Return open petitions due by ``soon_until`` whose alert for the stage they are at
    today was not raised yet, the most urgent first."""
    rows = await conn.execute_fetchall(
        f"""
        SELECT * FROM (
            SELECT id, code, kind, due_on, site_id, assigned_channel, assigned_user_id,
                   CASE WHEN due_on < :today THEN 'overdue'
                        WHEN due_on = :today THEN 'today' ELSE 'soon' END AS stage
            FROM petitions
            WHERE status IN ({_OPEN}) AND due_on IS NOT NULL AND due_on <= :soon
        ) AS p
        WHERE NOT EXISTS (SELECT 1 FROM petition_deadline_alerts a
                          WHERE a.petition_id = p.id AND a.due_on = p.due_on
                          AND a.stage = p.stage)
        ORDER BY due_on, id LIMIT :limit
        """,  # noqa: S608 - a constant list
        {"today": today.isoformat(), "soon": soon_until.isoformat(), "limit": limit},
    )
    return [DeadlineAlert(petition_id=r["id"], code=r["code"], kind=PetitionType(r["kind"]),
                          due_on=date.fromisoformat(r["due_on"]),
                          stage=DeadlineStage(r["stage"]), site_id=r["site_id"],
                          assigned_channel=r["assigned_channel"],
                          assigned_user_id=r["assigned_user_id"]) for r in rows]


async def record_deadline_alerts(conn: Connection, alerts: Sequence[DeadlineAlert],
                                 now: datetime) -> None:
    """Note that the alerts of these stages were raised for these deadlines."""
    await conn.executemany(
        "INSERT OR IGNORE INTO petition_deadline_alerts (petition_id, due_on, stage, "
        "created_at) VALUES (?, ?, ?, ?)",
        [(alert.petition_id, alert.due_on.isoformat(), alert.stage.value, to_db(now))
         for alert in alerts],
    )


# -- subscriptions and deliveries ---------------------------------------------------------------


def _subscription(r: Row) -> StoredSubscription:
    return StoredSubscription(channel=r["channel"], user_id=r["user_id"],
                              kind=DigestKind(r["kind"]), active=bool(r["active"]),
                              when_empty=WhenEmpty(r["when_empty"]), site_id=r["site_id"])


async def stored_subscriptions(conn: Connection, kind: DigestKind | None = None,
                               channel: str | None = None,
                               user_id: str | None = None) -> list[StoredSubscription]:
    """Return the subscriptions made in chat, of one kind and/or one person."""
    conditions: list[str] = []
    params: list[str] = []
    for column, value in (("kind", kind.value if kind else None), ("channel", channel),
                          ("user_id", user_id)):
        if value is not None:
            conditions.append(f"{column} = ?")
            params.append(value)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    rows = await conn.execute_fetchall(
        f"SELECT * FROM report_subscriptions{where} ORDER BY channel, user_id, kind",  # noqa: S608 - constant column names
        params,
    )
    return [_subscription(r) for r in rows]


async def save_subscription(conn: Connection, channel: str, user_id: str, kind: DigestKind, *,
                            active: bool, when_empty: WhenEmpty, site_id: str | None,
                            now: datetime) -> None:
    """Subscribe or unsubscribe a person to one digest."""
    await conn.execute(
        """
        INSERT INTO report_subscriptions (channel, user_id, kind, active, when_empty, site_id,
                                          updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (channel, user_id, kind) DO UPDATE SET
            active = excluded.active, when_empty = excluded.when_empty,
            site_id = excluded.site_id, updated_at = excluded.updated_at
        """,
        (channel, user_id, kind.value, int(active), when_empty.value, site_id, to_db(now)),
    )


def _delivery(r: Row) -> DigestDelivery:
    return DigestDelivery(kind=r["kind"], period_key=r["period_key"], channel=r["channel"],
                          user_id=r["user_id"], site_id=r["site_id"], status=r["status"],
                          outbox_id=r["outbox_id"], created_at=from_db(r["created_at"]))


async def delivered(conn: Connection, kind: str, period_key: str, channel: str,
                    user_id: str) -> bool:
    """Tell whether this digest was already delivered (or skipped) for this person."""
    rows = list(await conn.execute_fetchall(
        "SELECT 1 FROM digest_deliveries WHERE kind = ? AND period_key = ? AND channel = ? "
        "AND user_id = ?", (kind, period_key, channel, user_id)))
    return bool(rows)


async def last_delivery(conn: Connection, kind: str, channel: str,
                        user_id: str) -> DigestDelivery | None:
    """Return the latest delivery of a kind of digest to a person."""
    rows = list(await conn.execute_fetchall(
        "SELECT * FROM digest_deliveries WHERE channel = ? AND user_id = ? AND kind = ? "
        "ORDER BY id DESC LIMIT 1", (channel, user_id, kind)))
    return _delivery(rows[0]) if rows else None


async def record_delivery(conn: Connection, *, kind: str, period_key: str, channel: str,
                          user_id: str, site_id: str | None, status: str,
                          outbox_id: int | None, now: datetime) -> bool:
    """Record a digest for a person; False if it was recorded already (never twice)."""
    cursor = await conn.execute(
        """
        INSERT OR IGNORE INTO digest_deliveries (kind, period_key, channel, user_id, site_id,
                                                 status, outbox_id, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (kind, period_key, channel, user_id, site_id, status, outbox_id, to_db(now)),
    )
    return cursor.rowcount == 1


async def deliveries(conn: Connection) -> list[DigestDelivery]:
    """Return every digest delivery recorded, in order."""
    rows = await conn.execute_fetchall("SELECT * FROM digest_deliveries ORDER BY id")
    return [_delivery(r) for r in rows]
