"""Conversation state, drafts left half-way, and processed update ids."""

from __future__ import annotations

import json
from datetime import datetime

from bot.domain.conversation import ConversationState, Draft, Prompt
from bot.storage.database import Connection, from_db, to_db


async def load_state(conn: Connection, channel: str, user_id: str) -> ConversationState:
    """Return the person's state, or a fresh idle one."""
    rows = list(await conn.execute_fetchall(
        "SELECT flow, step, data, prompt, version, updated_at FROM conversations "
        "WHERE channel = ? AND user_id = ?",
        (channel, user_id),
    ))
    if not rows:
        return ConversationState()
    row = rows[0]
    return ConversationState(
        flow=row["flow"],
        step=row["step"],
        data=json.loads(row["data"]),
        prompt=Prompt.from_json(json.loads(row["prompt"])) if row["prompt"] else None,
        version=row["version"],
        updated_at=from_db(row["updated_at"]),
    )


async def save_state(
    conn: Connection, channel: str, user_id: str, state: ConversationState, now: datetime
) -> None:
    """Write the person's state."""
    prompt = json.dumps(state.prompt.to_json(), ensure_ascii=False) if state.prompt else None
    await conn.execute(
        """
        INSERT INTO conversations (channel, user_id, flow, step, data, prompt, version, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (channel, user_id) DO UPDATE SET
            flow = excluded.flow, step = excluded.step, data = excluded.data,
            prompt = excluded.prompt, version = excluded.version,
            updated_at = excluded.updated_at
        """,
        (
            channel,
            user_id,
            state.flow,
            state.step,
            json.dumps(state.data, ensure_ascii=False),
            prompt,
            state.version,
            to_db(now),
        ),
    )


async def save_draft(
    conn: Connection, channel: str, user_id: str, draft: Draft
) -> None:
    """Keep a flow left half-way, replacing an older draft of the same flow."""
    await conn.execute(
        """
        INSERT INTO drafts (channel, user_id, flow, step, data, saved_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (channel, user_id, flow) DO UPDATE SET
            step = excluded.step, data = excluded.data, saved_at = excluded.saved_at
        """,
        (
            channel,
            user_id,
            draft.flow,
            draft.step,
            json.dumps(draft.data, ensure_ascii=False),
            to_db(draft.saved_at),
        ),
    )


async def get_draft(conn: Connection, channel: str, user_id: str, flow: str) -> Draft | None:
    """Return the person's draft of ``flow``, if any."""
    cursor = await conn.execute(
        "SELECT flow, step, data, saved_at FROM drafts "
        "WHERE channel = ? AND user_id = ? AND flow = ?",
        (channel, user_id, flow),
    )
    row = await cursor.fetchone()
    if row is None:
        return None
    return Draft(
        flow=row["flow"], step=row["step"], data=json.loads(row["data"]),
        saved_at=from_db(row["saved_at"]),
    )


async def list_drafts(conn: Connection, channel: str, user_id: str) -> list[Draft]:
    """Return all the person's drafts, newest first."""
    cursor = await conn.execute(
        "SELECT flow, step, data, saved_at FROM drafts WHERE channel = ? AND user_id = ? "
        "ORDER BY saved_at DESC",
        (channel, user_id),
    )
    return [
        Draft(flow=r["flow"], step=r["step"], data=json.loads(r["data"]),
              saved_at=from_db(r["saved_at"]))
        for r in await cursor.fetchall()
    ]


async def delete_draft(conn: Connection, channel: str, user_id: str, flow: str) -> None:
    """Forget the person's draft of ``flow``."""
    await conn.execute(
        "DELETE FROM drafts WHERE channel = ? AND user_id = ? AND flow = ?",
        (channel, user_id, flow),
    )


async def mark_update(conn: Connection, channel: str, update_id: str, now: datetime) -> bool:
    """Record an update id; return False if it was already processed."""
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO processed_updates (channel, update_id, processed_at) "
        "VALUES (?, ?, ?)",
        (channel, update_id, to_db(now)),
    )
    return cursor.rowcount == 1


async def forget_updates_before(conn: Connection, moment: datetime) -> int:
    """Drop processed update ids older than ``moment``; return how many."""
    cursor = await conn.execute(
        "DELETE FROM processed_updates WHERE processed_at < ?", (to_db(moment),)
    )
    return cursor.rowcount


async def delete_drafts_before(conn: Connection, moment: datetime) -> int:
    """Delete drafts last saved before ``moment``; return how many."""
    cursor = await conn.execute("DELETE FROM drafts WHERE saved_at < ?", (to_db(moment),))
    return cursor.rowcount


async def clear_conversations_before(conn: Connection, moment: datetime) -> int:
    """Empty the draft data of conversations idle since before ``moment``; return how many."""
    cursor = await conn.execute(
        "UPDATE conversations SET flow = 'menu', step = 'idle', data = '{}', prompt = NULL "
        "WHERE updated_at < ? AND (data != '{}' OR flow != 'menu')",
        (to_db(moment),),
    )
    return cursor.rowcount
