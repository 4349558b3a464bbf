"""The conversation core: run one turn of one person's conversation.

A turn, in one database transaction:
  1. skip the update if its id was already processed (channels redeliver);
  2. load the person and their state;
  3. route the input: global commands, stale or forged buttons, back, then the step;
  4. save the state with the turn's writes and outbox rows;
  5. commit, and only then send the replies.

One person's turns run one after another; different people's turns run concurrently
(their database work is serialised by the transaction lock, their sending is not).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, replace
from datetime import timedelta
from typing import Any

from bot.config import Settings
from bot.dialog.flow import BACK, HISTORY, Flow, Routes, Turn, no_option, option, yes_option
from bot.domain.choices import denies, match_choice, match_confirmation
from bot.domain.clock import Clock
from bot.domain.conversation import (
    IDLE_FLOW,
    IDLE_STEP,
    ConversationState,
    Draft,
    Expect,
)
from bot.domain.messages import Attachment, Button, Contact, Incoming, InputKind, Reply
from bot.domain.numbers import find_number
from bot.domain.users import Role
from bot.i18n import _, format_datetime, set_language, set_zone
from bot.services import Actor, ServiceContext, Services
from bot.services.outbox import reply_to_payload
from bot.storage import conversations as conversation_store
from bot.storage import outbox as outbox_store
from bot.storage.database import Connection, Database

log = logging.getLogger(__name__)

Deliver = Callable[[Sequence[Reply]], Awaitable[None]]

RESUME_STEP = "_resume"
CONFIRM_CANCEL_STEP = "_confirm_cancel"
RETURN_STEP = "_return_step"
# What the person sent when «welcome back, continue?» interrupted it: answered after «Continue».
HELD_INPUT = "_held_input"
GLOBAL_COMMANDS = ("start", "huy", "trogiup")
# At a question typed text answers, a button's words inside a sentence pick the button only
# when the sentence has at most this many other words ("xong, tôi kể hết rồi").
FREE_TEXT_EXTRA_WORDS = 4


async def _write_files(replies: list[Reply]) -> list[Reply]:
    """Write the files left for after the commit, in a worker thread (the loop keeps going).

    A file that cannot be written becomes an apology: the turn itself is already saved.
    """
    written: list[Reply] = []
    for reply in replies:
        document, photo = reply.document, reply.photo
        if (document is None or document.build is None) and (photo is None
                                                              or photo.build is None):
            written.append(reply)
            continue
        try:
            if document is not None:
                document = await asyncio.to_thread(document.built)
            if photo is not None:
                photo = await asyncio.to_thread(photo.built)
        except Exception:
            log.exception("writing a file after the commit failed")
            written.append(Reply(text=_("Sorry, the file could not be made. Please ask for it "
                                        "again in a moment.")))
            continue
        written.append(replace(reply, document=document, photo=photo))
    return written


class Dialog:
    """Runs turns: the channel-neutral heart of the bot."""

    def __init__(self, database: Database, settings: Settings, clock: Clock,
                 routes: Routes) -> None:
        self.database = database
        self.settings = settings
        self.clock = clock
        self.routes = routes
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._waiting: dict[tuple[str, str], int] = {}
        set_zone(settings.tz)

    # -- entry point -----------------------------------------------------------------------

    async def handle(self, incoming: Incoming, deliver: Deliver) -> list[Reply]:
        """Run one turn for ``incoming`` and deliver its replies after the commit."""
        key = (incoming.channel, incoming.user_id)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                replies = await _write_files(await self._run_turn(incoming))
                if replies:
                    await self._deliver(incoming, replies, deliver)
                return replies
        finally:
            self._waiting[key] -= 1
            if self._waiting[key] == 0:
                del self._waiting[key]
                del self._locks[key]

    async def _deliver(self, incoming: Incoming, replies: list[Reply], deliver: Deliver) -> None:
        try:
            await deliver(replies)
        except Exception:
            # The turn is committed; keep what could not be said in the outbox for a retry.
            log.exception("sending replies failed; queuing them in the outbox")
            async with self.database.transaction() as conn:
                for reply in replies:
                    if reply.document is not None or reply.photo is not None:
                        continue
                    await outbox_store.enqueue(
                        conn, channel=incoming.channel, chat_id=incoming.chat_id,
                        user_id=incoming.user_id, kind="reply.retry",
                        payload=reply_to_payload(reply), now=self.clock.now(),
                    )

    async def _run_turn(self, incoming: Incoming) -> list[Reply]:
        now = self.clock.now()
        async with self.database.transaction() as conn:
            if incoming.update_id is not None and not await conversation_store.mark_update(
                conn, incoming.channel, incoming.update_id, now
            ):
                log.info("update %s already processed; skipped", incoming.update_id)
                return []
            bootstrap = Services(ServiceContext(conn, now, self.settings, Actor.system()))
            user = await bootstrap.users.arrive(
                incoming.channel, incoming.user_id, incoming.chat_id, incoming.display_name
            )
            set_language(user.language or self.settings.default_language)
            services = Services(ServiceContext(
                conn, now, self.settings, Actor(user.channel, user.user_id, user.role)
            ))
            state = await conversation_store.load_state(conn, incoming.channel, incoming.user_id)
            turn = Turn(dialog=self, incoming=incoming, user=user, state=state,
                        services=services, settings=self.settings, now=now,
                        opened_with=state.prompt)
            await conn.execute("SAVEPOINT turn")
            try:
                await self._route(turn)
                await conversation_store.save_state(
                    conn, incoming.channel, incoming.user_id, turn.state, now
                )
                await conn.execute("RELEASE turn")
            except Exception:
                await conn.execute("ROLLBACK TO turn")
                await conn.execute("RELEASE turn")
                log.exception("handler failed in flow %s step %s", state.flow, state.step)
                fresh = await conversation_store.load_state(
                    conn, incoming.channel, incoming.user_id
                )
                turn.replies = [self._apology(fresh)]
            return turn.replies

    def _apology(self, state: ConversationState) -> Reply:
        text = _("Sorry, something went wrong on our side and your last answer was not saved. "
                 "Please try again.")
        prompt = state.prompt
        if prompt is None:
            return Reply(text=text + "\n" + _("Send /start to see the menu."))
        return Reply(
            text=text + "\n\n" + prompt.text,
            buttons=tuple(Button(o.label, f"{prompt.token}|{o.payload}") for o in prompt.options),
            request_contact=prompt.request_contact,
            numbered=prompt.expect is not Expect.NUMBER,
        )

    # -- routing ---------------------------------------------------------------------------

    async def _route(self, turn: Turn) -> None:
        incoming = turn.incoming
        global_action = (incoming.kind is InputKind.CHOICE
                         and (incoming.payload or "").startswith("g|"))
        if incoming.kind is InputKind.COMMAND or global_action:
            self._forget_forbidden_flow(turn)
        if incoming.kind is InputKind.COMMAND:
            await self._command(turn)
            return
        if global_action:
            await self._action(turn)
            return
        flow = self.routes.flows.get(turn.state.flow)
        if flow is None or (turn.state.step not in flow.steps
                            and turn.state.step not in (RESUME_STEP, CONFIRM_CANCEL_STEP)):
            log.warning("unknown flow/step %s/%s; back to the menu", turn.state.flow,
                        turn.state.step)
            await self._reset(turn)
            return
        if not flow.allows(turn.role):
            await self._refuse(turn, f"flow:{flow.name}")
            await self._reset(turn)
            return
        if self._returning_after_a_while(turn, flow):
            held = self._held_input(turn)
            if held is not None:
                # Sealed: it may be a CCCD number typed at its question.
                turn.state.data[HELD_INPUT] = turn.services.identity.seal_text(json.dumps(held))
            self._ask_resume(turn, flow, turn.state.step)
            return
        if not await self._take_answer(turn):
            return
        if turn.choice == BACK:
            await self._back(turn)
            return
        if turn.state.step == RESUME_STEP:
            await self._receive_resume(turn)
            return
        if turn.state.step == CONFIRM_CANCEL_STEP:
            await self._receive_confirm_cancel(turn)
            return
        await flow.steps[turn.state.step].receive(turn)

    async def _command(self, turn: Turn) -> None:
        name = (turn.incoming.command or "").lower()
        if name == "start":
            await self.leave(turn)
            await self.routes.start(turn)
            return
        if name == "huy":
            await self._cancel(turn)
            return
        if name == "trogiup":
            await self.routes.help(turn)
            if turn.state.prompt is not None:
                self._resend(turn, None)
            return
        command = self.routes.commands.get(name)
        if command is None:
            await self.reask(turn, _("I don't know the command /{command}. Send /trogiup to "
                                     "see what I can do.").format(command=name[:32]))
            return
        if not command.allows(turn.role, self.settings):
            await self._refuse(turn, f"command:/{name}")
            return
        flow = self.routes.flows.get(turn.state.flow)
        if flow is not None and not turn.state.idle and not flow.interruptible:
            await self.reask(turn, _("You are in the middle of «{title}». Please answer "
                                     "the question below, or send /huy to stop.").format(
                                         title=_(flow.title)))
            return
        await self.leave(turn)
        await command.handler(turn)

    async def _action(self, turn: Turn) -> None:
        parts = (turn.incoming.payload or "").split("|", 2)
        name = parts[1] if len(parts) > 1 else ""
        arg = parts[2] if len(parts) > 2 else ""
        action = self.routes.actions.get(name)
        if action is None:
            await self._stale(turn)
            return
        if not action.allows(turn.role):
            await self._refuse(turn, f"action:{name}")
            return
        before = (turn.state.flow, turn.state.step, turn.state.version)
        await action.handler(turn, arg)
        if not turn.state.idle and (turn.state.flow, turn.state.step,
                                    turn.state.version) == before:
            # The person pressed a button of an older message while answering a question:
            # show that question again so the conversation carries on where it was.
            self._resend(turn, None)

    def _forget_forbidden_flow(self, turn: Turn) -> None:
        """Drop a flow the person's role no longer allows (the role changed mid-flow).

        Otherwise /trogiup, an unknown command or a global action would show its open
        question (a staff list, say) again to someone who may no longer see it.
        """
        flow = self.routes.flows.get(turn.state.flow)
        if flow is not None and not flow.allows(turn.role):
            turn.state = ConversationState(version=turn.state.version)

    async def _refuse(self, turn: Turn, what: str) -> None:
        await turn.services.audit.record("access.denied", what, role=turn.role.value)
        # Said by what is missing, not by who the person is: staff refused an admin's
        # command and the police refused a staff command read it too.
        turn.say(_("Sorry, you do not have permission to use this function. If you think you "
                   "should, please ask the office's administrator."))

    def _returning_after_a_while(self, turn: Turn, flow: Flow) -> bool:
        if turn.state.idle or not flow.keeps_draft or turn.state.updated_at is None:
            return False
        if turn.state.step in (RESUME_STEP, CONFIRM_CANCEL_STEP):
            return False
        away = turn.now - turn.state.updated_at
        return away >= timedelta(hours=self.settings.draft_resume_after_hours)

    @staticmethod
    def _held_input(turn: Turn) -> dict[str, Any] | None:
        """Return the turn's input in a form kept in the draft, if it could answer the question."""
        incoming = turn.incoming
        prompt = turn.state.prompt
        if incoming.kind is InputKind.TEXT and incoming.text.strip():
            return {"kind": InputKind.TEXT.value, "text": incoming.text}
        if incoming.kind is InputKind.CHOICE and prompt is not None:
            token, _sep, payload = (incoming.payload or "").partition("|")
            if token == prompt.token and prompt.option(payload) is not None:
                return {"kind": InputKind.CHOICE.value, "payload": payload}
            return None
        if incoming.kind is InputKind.ATTACHMENT and incoming.attachment is not None:
            return {"kind": InputKind.ATTACHMENT.value, "text": incoming.text,
                    "attachment": asdict(incoming.attachment)}
        if incoming.kind is InputKind.CONTACT and incoming.contact is not None:
            return {"kind": InputKind.CONTACT.value, "contact": asdict(incoming.contact)}
        return None

    async def _take_answer(self, turn: Turn) -> bool:
        """Fill the turn's answer from the input, or answer a stray input; tell which."""
        incoming = turn.incoming
        prompt = turn.state.prompt
        if prompt is None:
            await self._reset(turn)
            return False
        if incoming.kind is InputKind.CHOICE:
            token, _sep, payload = (incoming.payload or "").partition("|")
            if token != prompt.token or prompt.option(payload) is None:
                await self._stale(turn)
                return False
            turn.choice = payload
            return True
        if incoming.kind is InputKind.TEXT:
            if prompt.expect is Expect.NUMBER and find_number(incoming.text) is not None:
                # "5" or "mười một người" at "how many people?" is the answer, not the fifth
                # button nor the «một người» in it; the step reads the number.
                turn.text = incoming.text.strip()
                return True
            if prompt.expect is Expect.CONFIRM:
                return await self._take_confirmation(turn)
            # A slip of the finger is guessed only where typed text cannot be the answer.
            # Where typed text is itself an answer, a long message is that answer even if
            # a button's words stand in it ("... không có nội dung mới" is a note).
            free = prompt.expect in (Expect.TEXT, Expect.ANY, Expect.CONTACT)
            picked = match_choice(incoming.text, prompt.options,
                                  guess=prompt.expect in (Expect.CHOICE, Expect.FILE),
                                  extra_words=FREE_TEXT_EXTRA_WORDS if free else None)
            if picked is not None and picked.payload == "discard" and \
                    turn.state.step == RESUME_STEP and \
                    match_choice(incoming.text, prompt.options, whole=True) is None:
                # Throwing a draft away takes the words alone: «đừng xóa» keeps it.
                picked = None
            if picked is not None:
                turn.choice = picked.payload
                return True
            text = incoming.text.strip()
            if prompt.expect in (Expect.TEXT, Expect.ANY, Expect.CONTACT, Expect.NUMBER) and text:
                turn.text = text
                return True
            if prompt.expect is Expect.FILE:
                hint = _("Please send a photo, a document or a voice message, or choose one "
                         "of the options below.")
            else:
                hint = _("Please choose one of the options below: tap a button or type its "
                         "number.")
            await self.reask(turn, hint)
            return False
        if incoming.kind is InputKind.CONTACT and prompt.expect in (Expect.CONTACT, Expect.ANY):
            turn.contact = incoming.contact
            return True
        if incoming.kind is InputKind.ATTACHMENT and prompt.expect in (Expect.FILE, Expect.ANY):
            turn.attachment = incoming.attachment
            return True
        await self.reask(turn, self._hint_for(prompt.expect))
        return False

    async def _take_confirmation(self, turn: Turn) -> bool:
        """Take a typed answer to a confirmation: a yes only when it is explicit."""
        prompt = turn.state.prompt
        assert prompt is not None  # noqa: S101 - the caller checked
        picked = match_confirmation(turn.incoming.text, prompt.options)
        if picked is None:
            # Nothing is implied: «cô ấy chuyển công tác» or «để tôi xem» is not a yes.
            if any(denies(option) for option in prompt.options):
                hint = _("Nothing has been done yet. Please choose one of the options below: "
                         "tap a button, or type «yes» or «no».")
            else:
                hint = _("Nothing has been done yet. Please choose one of the options below: "
                         "tap a button or type its number.")
            await self.reask(turn, hint)
            return False
        turn.choice = picked.payload
        return True

    @staticmethod
    def _hint_for(expect: Expect) -> str:
        if expect is Expect.TEXT:
            return _("I can only read text here. Please type your answer.")
        if expect is Expect.CONTACT:
            return _("Please send your phone number: tap the button below or type it.")
        if expect is Expect.FILE:
            return _("Please send a photo, a document or a voice message, or choose one of "
                     "the options below.")
        if expect is Expect.ANY:
            return _("I cannot use that here. Please type your answer, or send a photo, a "
                     "document or a voice message.")
        return _("Please choose one of the options below: tap a button or type its number.")

    async def _stale(self, turn: Turn) -> None:
        if turn.state.prompt is None:
            turn.say(_("That button belongs to an earlier message and no longer works."))
            await self._reset(turn)
            return
        self._resend(turn, _("That button belongs to an earlier message. Here is the current "
                             "question:"))

    # -- asking again ----------------------------------------------------------------------

    async def reask(self, turn: Turn, hint: str | None) -> None:
        """Show ``hint`` and the open question again, or the menu if nothing is open."""
        if turn.state.prompt is None:
            if hint:
                turn.say(hint)
            await self._reset(turn)
            return
        self._resend(turn, hint)

    def _resend(self, turn: Turn, hint: str | None) -> None:
        prompt = turn.state.prompt
        assert prompt is not None  # noqa: S101 - callers check
        text = f"{hint}\n\n{prompt.text}" if hint else prompt.text
        turn.replies.append(
            Reply(
                text=text,
                buttons=tuple(Button(o.label, f"{prompt.token}|{o.payload}")
                              for o in prompt.options),
                request_contact=prompt.request_contact,
                numbered=prompt.expect is not Expect.NUMBER,
            )
        )

    async def _reset(self, turn: Turn) -> None:
        turn.state = ConversationState(version=turn.state.version)
        if turn.opened_with is None and turn.role is Role.CITIZEN:
            # A citizen the bot has never asked anything: greet them as /start would. Staff
            # and officials (who may never have seen the citizens' notice, working only
            # from commands) get the menu.
            await self.routes.start(turn)
            return
        await self.routes.flows[IDLE_FLOW].steps[IDLE_STEP].ask(turn)

    # -- flows: begin, leave, finish, back, cancel, resume -----------------------------------

    async def begin(self, turn: Turn, flow_name: str, data: dict[str, Any] | None) -> None:
        """Start a flow; if the person left a draft of it, ask whether to continue it."""
        flow = self.routes.flows[flow_name]
        if not flow.allows(turn.role):
            await self._refuse(turn, f"flow:{flow.name}")
            return
        await self.leave(turn)
        conn = turn.services.ctx.conn
        draft = None
        if flow.keeps_draft:
            draft = await conversation_store.get_draft(conn, turn.user.channel,
                                                       turn.user.user_id, flow_name)
        if draft is not None:
            turn.state = ConversationState(flow=flow_name, step=draft.step, data=draft.data,
                                           version=turn.state.version)
            await conversation_store.delete_draft(conn, turn.user.channel, turn.user.user_id,
                                                  flow_name)
            self._ask_resume(turn, flow, draft.step, draft.saved_at)
            return
        turn.state = ConversationState(flow=flow_name, step=flow.first, data=dict(data or {}),
                                       version=turn.state.version)
        await flow.steps[flow.first].ask(turn)

    async def leave(self, turn: Turn) -> None:
        """Leave the current flow; keep its draft if the flow keeps drafts."""
        state = turn.state
        flow = self.routes.flows.get(state.flow)
        if not state.idle and flow is not None and flow.keeps_draft and _has_answers(state):
            step = state.data.get(RETURN_STEP, state.step) if state.step in (
                RESUME_STEP, CONFIRM_CANCEL_STEP) else state.step
            data = {k: v for k, v in state.data.items() if k not in (RETURN_STEP, HELD_INPUT)}
            await conversation_store.save_draft(
                turn.services.ctx.conn, turn.user.channel, turn.user.user_id,
                Draft(flow=state.flow, step=step, data=data, saved_at=turn.now),
            )
        turn.state = ConversationState(version=state.version)

    async def keep_for_later(self, turn: Turn, flow: str, step: str,
                             data: dict[str, Any]) -> None:
        """Save a draft of ``flow`` at ``step`` without opening it: the next time the person
        opens that flow, they are offered to continue it."""
        await conversation_store.save_draft(
            turn.services.ctx.conn, turn.user.channel, turn.user.user_id,
            Draft(flow=flow, step=step, data=data, saved_at=turn.now))

    async def finish(self, turn: Turn) -> None:
        """End the flow for good (its draft is gone) and show the menu."""
        flow = self.routes.flows.get(turn.state.flow)
        if flow is not None and flow.keeps_draft:
            await conversation_store.delete_draft(turn.services.ctx.conn, turn.user.channel,
                                                  turn.user.user_id, flow.name)
        turn.state = ConversationState(version=turn.state.version)
        await self.routes.flows[IDLE_FLOW].steps[IDLE_STEP].ask(turn)

    async def _back(self, turn: Turn) -> None:
        if turn.state.step in (RESUME_STEP, CONFIRM_CANCEL_STEP):
            await self._return_to_step(turn)
            return
        history = list(turn.state.data.get(HISTORY, []))
        flow = turn.flow
        while history:
            previous = history.pop()
            if previous in flow.steps:
                turn.state.data[HISTORY] = history
                turn.state.step = previous
                await flow.steps[previous].ask(turn)
                return
        await turn.menu()

    async def _cancel(self, turn: Turn) -> None:
        if turn.state.idle:
            turn.say(_("There is nothing to cancel."))
            await self._reset(turn)
            return
        flow = self.routes.flows.get(turn.state.flow)
        if flow is not None and flow.confirm_cancel and _has_answers(turn.state):
            if turn.state.step != CONFIRM_CANCEL_STEP:
                turn.state.data[RETURN_STEP] = turn.state.step
            turn.state.step = CONFIRM_CANCEL_STEP
            turn.ask(
                _("Do you want to throw away «{title}»? What you have entered will be "
                  "deleted.")
                .format(title=_(flow.title)),
                [yes_option(_("Yes, throw it away"), "discard", "bo di", "xoa"),
                 no_option(_("No, continue"), "continue", "tiep tuc")],
                expect=Expect.CONFIRM,
                back=False,
            )
            return
        await self._discard(turn)

    async def _discard(self, turn: Turn) -> None:
        await conversation_store.delete_draft(turn.services.ctx.conn, turn.user.channel,
                                              turn.user.user_id, turn.state.flow)
        turn.state = ConversationState(version=turn.state.version)
        turn.say(_("Cancelled. Nothing was saved or sent."))
        await self.routes.flows[IDLE_FLOW].steps[IDLE_STEP].ask(turn)

    async def _receive_confirm_cancel(self, turn: Turn) -> None:
        if turn.choice == "discard":
            await self._discard(turn)
        else:
            await self._return_to_step(turn)

    def _ask_resume(self, turn: Turn, flow: Flow, step: str,
                    saved_at: Any = None) -> None:
        turn.state.data[RETURN_STEP] = step
        turn.state.step = RESUME_STEP
        when = saved_at or turn.state.updated_at or turn.now
        text = _("Welcome back. Your unfinished «{title}» was saved at {time}. Do you want to "
                 "continue where you left off?").format(title=_(flow.title),
                                                        time=format_datetime(when))
        if HELD_INPUT in turn.state.data:
            text += "\n" + _("(What you have just sent is kept: if you continue, it is taken as "
                              "your answer to the open question.)")
        turn.ask(
            text,
            [option(_("Continue"), "continue", "tiep tuc", "co"),
             option(_("Start again"), "discard", "lam lai", "bat dau lai", "xoa")],
            back=False,
        )

    async def _receive_resume(self, turn: Turn) -> None:
        if turn.choice == "discard":
            flow_name = turn.state.flow
            turn.state = ConversationState(version=turn.state.version)
            await self.begin(turn, flow_name, None)
            return
        sealed = await self._return_to_step(turn)
        opened = turn.services.identity.unseal_text(sealed) if sealed else None
        if opened is not None:
            await self._answer_with_held(turn, json.loads(opened))

    async def _answer_with_held(self, turn: Turn, held: dict[str, Any]) -> None:
        """Answer the question just asked again with what was sent before «Continue».

        The question is not shown twice: its answer leads to the next one, or a refusal
        asks it again. A refusal says plainly that the earlier message was not saved.
        """
        flow = self.routes.flows.get(turn.state.flow)
        prompt = turn.state.prompt
        if (flow is None or prompt is None or turn.state.step not in flow.steps
                or not turn.replies or turn.replies[-1].text != prompt.text):
            return
        incoming = _held_incoming(turn.incoming, held, prompt.token)
        if incoming is None:
            return
        question = turn.replies.pop()
        mark = len(turn.replies)
        before = (turn.state.flow, turn.state.step, turn.state.version)
        answered = turn.incoming
        turn.incoming = incoming
        try:
            if await self._take_answer(turn):
                if turn.choice == BACK:
                    await self._back(turn)
                else:
                    await flow.steps[turn.state.step].receive(turn)
        finally:
            turn.incoming = answered
        if (turn.state.flow, turn.state.step, turn.state.version) == before:
            note = _("The message you sent before «Continue» could not be used for this "
                     "question, so it was not saved. Please answer again.")
            if len(turn.replies) == mark:
                turn.replies.append(question)
        else:
            note = _("The message you sent before «Continue» is saved as your answer.")
        turn.replies.insert(mark, Reply(text=note))

    async def _return_to_step(self, turn: Turn) -> str | None:
        """Ask the question the person left again; return the input held for it, if any."""
        held = turn.state.data.pop(HELD_INPUT, None)
        step = turn.state.data.pop(RETURN_STEP, None)
        flow = turn.flow
        if step not in flow.steps:
            step = flow.first
        turn.state.step = step
        await flow.steps[step].ask(turn)
        return held if isinstance(held, str) else None

    # -- helpers for handlers --------------------------------------------------------------

    def services_for(self, conn: Connection, actor: Actor | None = None) -> Services:
        """Build services bound to ``conn`` (for jobs and the command line)."""
        return Services(ServiceContext(conn, self.clock.now(), self.settings,
                                       actor or Actor.system()))


def _held_incoming(incoming: Incoming, held: dict[str, Any], token: str) -> Incoming | None:
    """Rebuild input held during «welcome back» as if sent now, to the question ``token``."""
    kind = held.get("kind")
    if kind == InputKind.TEXT.value:
        return replace(incoming, kind=InputKind.TEXT, text=str(held.get("text") or ""),
                       payload=None)
    if kind == InputKind.CHOICE.value:
        return replace(incoming, kind=InputKind.CHOICE, text="",
                       payload=f"{token}|{held.get('payload')}")
    if kind == InputKind.ATTACHMENT.value and isinstance(held.get("attachment"), dict):
        return replace(incoming, kind=InputKind.ATTACHMENT, text=str(held.get("text") or ""),
                       payload=None, attachment=Attachment(**held["attachment"]))
    if kind == InputKind.CONTACT.value and isinstance(held.get("contact"), dict):
        return replace(incoming, kind=InputKind.CONTACT, text="", payload=None,
                       contact=Contact(**held["contact"]))
    return None


def _has_answers(state: ConversationState) -> bool:
    return any(not key.startswith("_") for key in state.data)
