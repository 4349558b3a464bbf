"""Measure turns per second through the whole Telegram path, next to a bare PTB echo bot.

Run from the repository root::

    python bench/turns.py            # 200 users per scenario, best of 3 runs
    python bench/turns.py --quick    # 30 users, one run: to see that it works
    python bench/turns.py --profile  # also profile the sequential Tiếp Dân run
    python bench/turns.py --latency 20 --users 50  # each Bot API call takes 20 ms

Each simulated person's updates go through the real PTB ``Application`` (built by
``build_application`` on the offline ``FakeBotApi``), the real conversation core and
handlers, and a real SQLite file in a temporary folder. The same number and kinds of
updates then go through a bare echo bot on the same kind of fake, so the ratio shows what
the bot costs over python-telegram-bot itself. Updates are fed the way PTB's own update
fetcher feeds them (``update_processor.process_update(update, application.process_update(
update))``), once one update at a time and once concurrently across people, each person's
updates in order. The fake answers at once; ``--latency`` makes every Bot API call wait, as
Telegram's network round trip does, which is where concurrency across people pays.

A scenario is a function from a user id to a list of steps (send text, press a button by
its label, share a contact, check the last replies); add one to ``SCENARIOS`` and the runner
does the rest.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, Python puts bench/ first on the path; the bot and the fake live at the root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import asyncio
import cProfile
import gc
import io
import logging
import os
import platform
import pstats
import re
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import telegram
from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import RequestData

from bot.app import App
from bot.channels.telegram import build_application
from bot.config import DEFAULT_SESSIONS
from bot.domain.booking import slot_times
from bot.domain.calendar import WorkingCalendar
from bot.domain.clock import FixedClock
from bot.i18n import _, translation
from tests.fakebotapi import TOKEN, FakeBotApi, FakeRequest, SentMessage
from tests.harness import DEFAULT_NOW, make_settings

PTBApplication = Application[Any, Any, Any, Any, Any, Any]

# -- steps and scenarios -------------------------------------------------------------------


@dataclass(frozen=True)
class SendText:
    """Type a message (a command if it starts with /)."""

    text: str


@dataclass(frozen=True)
class Press:
    """Press the button with this label on the latest message that shows it."""

    label: str


@dataclass(frozen=True)
class ShareContact:
    """Share a phone number through the request-contact button."""

    phone: str


@dataclass(frozen=True)
class ExpectReply:
    """Check that a message sent in answer to the previous update contains ``fragment``.

    A check is not an update and not a turn; the echo bot skips it.
    """

    fragment: str


Step = SendText | Press | ShareContact | ExpectReply


@dataclass(frozen=True)
class Scenario:
    """A scripted conversation that every simulated person goes through."""

    name: str
    description: str
    steps: Callable[[int], list[Step]]
    officials: bool = False  # the simulated people are admins (through the settings file)

    def turns_per_user(self) -> int:
        """Return how many updates one person sends (checks are not counted)."""
        return sum(1 for step in self.steps(0) if not isinstance(step, ExpectReply))


REFUSAL = ("Sorry, you do not have permission to use this function. If you think you should, "
           "please ask the office's administrator.")


def vi(message: str) -> str:
    """Return ``message`` as the bot shows it in Vietnamese (button labels, replies)."""
    with translation("vi"):
        return _(message)


def first_visit(user: int) -> list[Step]:
    """Start, consent, read the office information, then choose Vietnamese."""
    return [
        SendText("/start"),
        Press(vi("I agree")),
        ExpectReply(vi("Thank you. One more, optional, question: do you want to receive "
                       "appointment reminders and news about your petitions in this chat?")),
        Press(vi("Yes, send me reminders")),
        ExpectReply(vi("What can we help you with? Please choose:")),
        SendText("4"),  # the office information, typed by its number in the menu
        ExpectReply(vi("Please bring your ID card (CCCD) and any documents about your case.")),
        Press(vi("🏠 Main menu")),
        SendText("ngôn ngữ"),
        ExpectReply(vi("Please choose your language:")),
        Press("Tiếng Việt"),
        ExpectReply(vi("From now on I will write in English.")),
    ]


def staff_refused(user: int) -> list[Step]:
    """A citizen types the admins' staff commands: each is refused and audited."""
    refusal = vi(REFUSAL)
    return [
        SendText("/start"),
        Press(vi("I agree")),
        Press(vi("No, thank you")),
        SendText("/canbo"),
        ExpectReply(refusal),
        SendText("/moicanbo"),
        ExpectReply(refusal),
        SendText("/start inv-" + "A" * 43),  # a made-up invitation: refused, then /start
        ExpectReply(vi("Sorry, this invitation link is not valid. Please check that the whole "
                       "link was opened, or ask the office's administrator for a new one.")),
    ]


def desk_refused(user: int) -> list[Step]:
    """A citizen tries the petition desk: /don, /timkiem and /xuatdon are each refused."""
    refusal = vi(REFUSAL)
    return [
        SendText("/start"),
        Press(vi("I agree")),
        Press(vi("No, thank you")),
        SendText("/don"),
        ExpectReply(refusal),
        SendText("/timkiem 0912345678"),
        ExpectReply(refusal),
        SendText("/xuatdon 11/2026"),
        ExpectReply(refusal),
    ]


def petition(user: int) -> list[Step]:
    """Agree, then file a whole complaint: type, respondent, place, content, request, prior
    handling, people, files, identity, review and send."""
    return [
        SendText("/start"),
        Press(vi("I agree")),
        Press(vi("No, thank you")),
        Press(vi("📝 Submit a petition")),
        Press(vi("Complaint")),
        ExpectReply(vi("Which decision or act do you complain about, and of which body or "
                       "official? For example: Decision No. 12/QĐ-UBND of the People's "
                       "Committee of Hoàng Văn Thụ commune.")),
        SendText("Quyết định số 12/QĐ-UBND của UBND xã Hoàng Văn Thụ"),
        SendText("phuong tam thanh"),  # the ward, typed without diacritics
        SendText("Xã thu hồi đất nhà tôi mà không báo trước, tôi đã lên xã nhiều lần."),
        Press(vi("✅ Done, I have said everything")),
        SendText("Hủy quyết định thu hồi đất"),
        Press(vi("No authority has dealt with it yet")),
        Press(vi("Only me")),
        Press(vi("No documents")),
        SendText("Nguyễn Văn An"),
        ShareContact("84912345678"),
        SendText("001085012345"),
        SendText("Thôn Nà Pàn, xã Hoàng Văn Thụ"),
        ExpectReply(vi("Sender:")),
        Press(vi("✅ Send the petition")),
        ExpectReply(vi("Please keep this code: you need it to follow your petition, and you "
                       "can read it out to the office over the phone.")),
    ]



def report(user: int) -> list[Step]:
    """An official asks for a year's summary (chart and text), looks at the year before,
    takes its Excel file and closes the report."""
    return [
        SendText("/baocao năm 2025"),
        ExpectReply(plain(vi("<b>Citizen reception and petition handling: {period}</b>"))
                    .split("{", 1)[0]),
        Press(vi("◀ Previous period")),
        Press(vi("📥 Excel file")),
        ExpectReply(vi("📥 The statistical tables of {period}: Form 01/TCD, the classification "
                       "of petitions received at reception, Form 01/XLD, the summary and the "
                       "months.").split("{", 1)[0]),
        Press(vi("✖ Close")),
    ]


def plain(html_text: str) -> str:
    """Return a reply's text as a chat client shows it (tags removed)."""
    return re.sub(r"</?[a-z]+>", "", html_text)


# Regular reception from the day after DEFAULT_NOW: 9 working days of 14 slots, 3 places each.
# People are spread over the slots by their id, so a run of up to 378 people never meets a
# full slot (more would need the waiting list, which this scenario does not script).
BOOKING_DAYS = list(WorkingCalendar().working_days(
    DEFAULT_NOW.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date() + timedelta(days=1), 9))
BOOKING_TIMES = [start for start, _end in slot_times(DEFAULT_SESSIONS, 30)]


def booking(user: int) -> list[Step]:
    """Consent, then a full regular booking: day, time, matter, people, identity, confirm."""
    slot = user % (len(BOOKING_DAYS) * len(BOOKING_TIMES))
    day = BOOKING_DAYS[slot // len(BOOKING_TIMES)]
    start = BOOKING_TIMES[slot % len(BOOKING_TIMES)]
    return [
        SendText("/start"),
        Press(vi("I agree")),
        Press(vi("Yes, send me reminders")),
        Press(vi("📅 Book a reception appointment")),
        Press(vi("🏢 Regular reception")),
        Press(f"{day.day}/{day.month} "),
        Press(f"{start:%H:%M} "),
        SendText("Đề nghị giải quyết tranh chấp đất đai ở thôn Nà Pàn"),
        Press(vi("No")),
        Press(vi("👤 Just me")),
        SendText("Nguyễn Văn An"),
        ShareContact("84912345678"),
        SendText("079123456789"),
        SendText("Thôn Nà Pàn, xã Hoàng Văn Thụ"),
        ExpectReply(plain(vi("<b>Please check your appointment:</b>"))),
        Press(vi("✅ Confirm the appointment")),
        ExpectReply(plain(vi("✅ <b>Your appointment is booked.</b>"))),
    ]


def typed_booking(user: int) -> list[Step]:
    """Consent, then a booking answered by typing as people do: menu words with a slip, a
    date with the month in words, a time of day, a number of people in words, a passport."""
    slot = user % (len(BOOKING_DAYS) * len(BOOKING_TIMES))
    day = BOOKING_DAYS[slot // len(BOOKING_TIMES)]
    start = BOOKING_TIMES[slot % len(BOOKING_TIMES)]
    return [
        SendText("/start"),
        SendText("dong y"),
        SendText("khong"),
        SendText("dat lich hen"),
        SendText("thuong xuyen"),
        SendText(f"ngay {day.day} thang {day.month}"),
        SendText(f"{start.hour}h{start.minute:02d}"),
        ExpectReply(vi("Chosen: {time}, {day}.").split("{", 1)[0]),
        SendText("Đề nghị giải quyết tranh chấp đất đai ở thôn Nà Pàn"),
        SendText("khong"),
        SendText("hai nguoi"),
        SendText("bà Nguyễn Thị Hoa"),
        SendText("so dien thoai cua toi la 0912 345 678"),
        SendText("ho chieu"),
        SendText("B1234567"),
        SendText("Thôn Nà Pàn, xã Hoàng Văn Thụ"),
        ExpectReply(vi("Passport: {number}").split("{", 1)[0]),
        SendText("xac nhan"),
        ExpectReply(plain(vi("✅ <b>Your appointment is booked.</b>"))),
    ]


def queue_refused(user: int) -> list[Step]:
    """A citizen types the staff's queue and register commands: each is refused and audited."""
    refusal = vi(REFUSAL)
    return [
        SendText("/start"),
        Press(vi("I agree")),
        Press(vi("No, thank you")),
        SendText("/hangdoi"),
        ExpectReply(refusal),
        SendText("/sotiep 1/11 30/11"),
        ExpectReply(refusal),
    ]


def lookup_check(user: int) -> list[Step]:
    """Consent, then look up an appointment code from an account that did not book it: the
    phone check is asked (whether the code exists is not told) and wrong digits counted."""
    return [
        SendText("/start"),
        Press(vi("I agree")),
        Press(vi("No, thank you")),
        SendText("/tracuu H-AAAA-BBBB"),
        ExpectReply(vi("Appointment {code}: to protect the booker's information, please type "
                       "the last four digits of the phone number given when "
                       "booking.").split("{", 1)[0]),
        SendText("0000"),
        ExpectReply(vi("The code and these digits do not go together. Please check both and "
                       "try again ({left} tries left).").split("{", 1)[0]),
    ]


def typed_confirmations(user: int) -> list[Step]:
    """The data notice answered by typing: a sentence with «có» in it is asked again (a yes
    must be explicit), «đồng ý» alone agrees, «thôi» declines the reminders."""
    return [
        SendText("/start"),
        SendText("tôi có câu hỏi"),
        ExpectReply(vi("Nothing has been done yet. Please choose one of the options below: "
                       "tap a button, or type «yes» or «no».")),
        SendText("đồng ý"),
        ExpectReply(vi("Thank you. One more, optional, question: do you want to receive "
                       "appointment reminders and news about your petitions in this chat?")),
        SendText("thôi"),
        ExpectReply(vi("What can we help you with? Please choose:")),
    ]


SCENARIOS: dict[str, Scenario] = {
    scenario.name: scenario
    for scenario in (
        Scenario("first_visit", "/start → consent → office info → language", first_visit),
        Scenario("staff_refused", "citizen: /canbo, /moicanbo, a made-up invitation",
                 staff_refused),
        Scenario("desk_refused", "citizen: /don, /timkiem, /xuatdon", desk_refused),
        Scenario("booking", "/start → consent → a full regular booking with the .ics",
                 booking),
        Scenario("petition", "/start → consent → a whole complaint, from its type to the "
                             "receipt", petition),
        Scenario("typed_booking", "a booking typed as people type: slips, dates and times "
                                  "in words, a passport", typed_booking),
        Scenario("queue_refused", "citizen: /hangdoi, /sotiep (staff only)", queue_refused),
        Scenario("lookup_check", "/start → consent → /tracuu an appointment code from "
                                 "another account → wrong digits", lookup_check),
        Scenario("typed_confirmations", "the data notice typed: a sentence with «có» asked "
                                        "again, «đồng ý», «thôi»", typed_confirmations),
        Scenario("report", "an official: /baocao năm 2025 → previous year → Excel → close",
                 report, officials=True),
    )
}

# -- the bots under measurement ------------------------------------------------------------


@dataclass
class Target:
    """A bot ready to take updates: its Application and the fake Bot API it talks to."""

    name: str
    application: PTBApplication
    api: FakeBotApi
    real_buttons: bool  # False for the echo bot: a press sends the label as callback data


class LaggyRequest(FakeRequest):
    """A FakeRequest whose every call first waits ``latency`` seconds, like a network trip."""

    def __init__(self, api: FakeBotApi, latency: float) -> None:
        super().__init__(api)
        self.latency = latency

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self.latency > 0:
            await asyncio.sleep(self.latency)
        return await super().do_request(url, method, request_data, read_timeout,
                                        write_timeout, connect_timeout, pool_timeout)


def fake_request(api: FakeBotApi, latency: float) -> FakeRequest:
    """Return the plain FakeRequest, or one that waits before each call."""
    return LaggyRequest(api, latency) if latency > 0 else FakeRequest(api)


@asynccontextmanager
async def tiepdan(latency: float, admins: Sequence[int] = ()) -> AsyncIterator[Target]:
    """Run Tiếp Dân on a fresh SQLite file in a temporary folder (``admins``: Telegram ids
    made admins by the settings)."""
    with tempfile.TemporaryDirectory(prefix="tiepdan-bench-") as folder:
        settings = make_settings(Path(folder), {"admins": [f"telegram:{user}"
                                                           for user in admins]})
        assert settings.telegram_token is not None
        assert settings.telegram_token.value == TOKEN
        assert str(settings.database_path) != ":memory:"
        api = FakeBotApi()
        app = await App.open(settings, FixedClock(DEFAULT_NOW))
        try:
            application, _channel = build_application(app, request=fake_request(api, latency),
                                                      rate_limiter=False)
            async with application:
                yield Target("tiepdan", application, api, real_buttons=True)
        finally:
            await app.close()


async def _echo_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    text = message.text or (message.contact.phone_number if message.contact else "?")
    await context.bot.send_message(message.chat.id, text)


async def _echo_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    await context.bot.send_message(query.message.chat.id, query.data or "?")


@asynccontextmanager
async def echo(latency: float, admins: Sequence[int] = ()) -> AsyncIterator[Target]:
    """Run a bare PTB echo bot on the same kind of fake Bot API (it has no roles)."""
    api = FakeBotApi()
    request = fake_request(api, latency)
    application: PTBApplication = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(request)
        .get_updates_request(request)
        .concurrent_updates(64)  # as many at once as Tiếp Dân's PerUserOrder allows
        .build()
    )
    application.add_handler(MessageHandler(filters.ALL, _echo_message))
    application.add_handler(CallbackQueryHandler(_echo_press))
    async with application:
        yield Target("echo", application, api, real_buttons=False)


# -- the runner ----------------------------------------------------------------------------


class BenchError(RuntimeError):
    """The scripted conversation did not go as scripted."""


def _button(api: FakeBotApi, user: int, label: str) -> tuple[SentMessage, str]:
    """Return the latest message showing a button labelled ``label``, and its data."""
    wanted = label.casefold()
    for message in reversed(api.sent_to(user)):
        buttons = message.inline_buttons()
        exact = [b for b in buttons if b["text"].casefold() == wanted]
        found = exact or [b for b in buttons if wanted in b["text"].casefold()]
        if len(found) == 1:
            return message, str(found[0]["callback_data"])
        if found:
            raise BenchError(f"several buttons match {label!r} in chat {user}")
    raise BenchError(f"no button labelled {label!r} in chat {user}")


def _update_for(target: Target, user: int, step: SendText | Press | ShareContact
                ) -> dict[str, Any]:
    api = target.api
    if isinstance(step, SendText):
        return api.text_update(user, step.text)
    if isinstance(step, ShareContact):
        return api.contact_update(user, step.phone)
    if target.real_buttons:
        message, data = _button(api, user, step.label)
    else:
        message, data = api.last_to(user), step.label.encode()[:64].decode(errors="ignore")
    return api.callback_update(user, message, data)


async def run_user(target: Target, user: int, steps: Sequence[Step]) -> int:
    """Feed one person's steps in order, as PTB's update fetcher would; return the turns."""
    application = target.application
    processor = application.update_processor
    turns = 0
    sent_before = 0
    for step in steps:
        if isinstance(step, ExpectReply):
            if target.real_buttons:
                answer = target.api.sent_to(user)[sent_before:]
                if not any(step.fragment in message.text for message in answer):
                    shown = " | ".join(message.text[:80] for message in answer)
                    raise BenchError(f"user {user}: expected {step.fragment!r}, got: {shown}")
            continue
        sent_before = len(target.api.messages.get(user, ()))
        update = Update.de_json(_update_for(target, user, step), application.bot)
        await processor.process_update(update, application.process_update(update))
        turns += 1
    return turns


@dataclass(frozen=True)
class Result:
    """One measured run."""

    scenario: str
    bot: str
    mode: str
    users: int
    turns: int
    seconds: float

    @property
    def rate(self) -> float:
        """Turns per second."""
        return self.turns / self.seconds if self.seconds > 0 else float("inf")


class Problems(logging.Handler):
    """Collect warnings and errors: a benchmark of failing turns measures nothing."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


PROBLEMS = Problems()

BotFactory = Callable[[float, Sequence[int]], AbstractAsyncContextManager[Target]]


async def measure(bot: BotFactory, scenario: Scenario, users: int, warmup: int, *,
                  concurrent: bool, latency: float = 0.0,
                  profiler: cProfile.Profile | None = None) -> Result:
    """Run ``users`` people through ``scenario`` on a fresh bot, after a warm-up."""
    PROBLEMS.records.clear()
    ids = [100_000_000 + user for user in range(1, users + 1)]
    warm = [900_000_000 + user for user in range(1, warmup + 1)]
    async with bot(latency, [*warm, *ids] if scenario.officials else []) as target:
        for user in warm:
            await run_user(target, user, scenario.steps(user))
        scripts = [scenario.steps(user) for user in ids]
        gc.collect()  # start each timed run without the previous run's garbage
        if profiler is not None:
            profiler.enable()
        started = time.perf_counter()
        if concurrent:
            # A task group, unlike gather, cancels the other people if one script fails.
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(run_user(target, user, script))
                         for user, script in zip(ids, scripts, strict=True)]
            turns = sum(task.result() for task in tasks)
        else:
            turns = 0
            for user, script in zip(ids, scripts, strict=True):
                turns += await run_user(target, user, script)
        seconds = time.perf_counter() - started
        if profiler is not None:
            profiler.disable()
        if target.api.errors:
            raise BenchError(f"{target.name} called unknown Bot API methods: "
                             f"{target.api.errors[:3]}")
    if PROBLEMS.records:
        first = PROBLEMS.records[0]
        raise BenchError(f"{len(PROBLEMS.records)} warnings or errors were logged while "
                         f"running {target.name}; the first: {first.getMessage()}")
    expected = users * scenario.turns_per_user()
    if turns != expected:
        raise BenchError(f"{target.name} ran {turns} turns, expected {expected}")
    return Result(scenario.name, target.name, "concurrent" if concurrent else "sequential",
                  users, turns, seconds)


# -- reporting -----------------------------------------------------------------------------


def out(line: str = "") -> None:
    """Write one line of the report."""
    print(line)  # noqa: T201 - the report on stdout is what a benchmark is for


COLUMNS = f"{'scenario':<14} {'bot':<8} {'mode':<11} {'users':>5} {'turns':>6} " \
          f"{'seconds':>8} {'turns/s':>8}"


def report_table(results: Sequence[Result]) -> None:
    """Print every measured run, then each scenario's Tiếp Dân / echo ratios."""
    out(COLUMNS)
    out("-" * len(COLUMNS))
    for r in results:
        out(f"{r.scenario:<14} {r.bot:<8} {r.mode:<11} {r.users:>5} {r.turns:>6} "
            f"{r.seconds:>8.3f} {r.rate:>8.0f}")
    out()
    for scenario in dict.fromkeys(r.scenario for r in results):
        for mode in ("sequential", "concurrent"):
            ours = next(r for r in results
                        if (r.scenario, r.bot, r.mode) == (scenario, "tiepdan", mode))
            bare = next(r for r in results
                        if (r.scenario, r.bot, r.mode) == (scenario, "echo", mode))
            out(f"ratio tiepdan / echo, {scenario}, {mode}: {ours.rate / bare.rate:.3f} "
                f"(echo {ours.seconds / bare.seconds:.1f}× faster on the same "
                f"{bare.turns} updates)")
    out()


def report_profile(profiler: cProfile.Profile, lines: int) -> None:
    """Print where the sequential Tiếp Dân run spent its time (main thread only)."""
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.strip_dirs().sort_stats("tottime").print_stats(lines)
    stats.sort_stats("cumulative").print_stats(lines)
    out("Profile of the sequential Tiếp Dân runs (main thread; SQL runs in aiosqlite's thread")
    out("and shows here as time waiting in the event loop's select). The profiler slows")
    out("those runs, so their figure in the table above is not comparable:")
    out(buffer.getvalue())


# -- entry point ---------------------------------------------------------------------------


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=None,
                        help="simulated people per run (default 200, or 30 with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="a short run: fewer people, one repetition")
    parser.add_argument("--repeat", type=int, default=None,
                        help="runs of each measurement, the fastest reported (default 3, "
                             "or 1 with --quick)")
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), action="append",
                        help="run only this scenario (may be repeated; default: all)")
    parser.add_argument("--latency", type=float, default=0.0, metavar="MS",
                        help="make every Bot API call wait this many milliseconds (default 0)")
    parser.add_argument("--profile", action="store_true",
                        help="profile the sequential Tiếp Dân run with cProfile")
    arguments = parser.parse_args(argv)
    if arguments.users is not None and arguments.users < 1:
        parser.error("--users must be at least 1")
    if arguments.repeat is not None and arguments.repeat < 1:
        parser.error("--repeat must be at least 1")
    if arguments.latency < 0:
        parser.error("--latency cannot be negative")
    return arguments


async def run(arguments: argparse.Namespace) -> None:
    """Measure every chosen scenario and print the report."""
    users: int = arguments.users or (30 if arguments.quick else 200)
    warmup = 3 if arguments.quick else 10
    repeat: int = arguments.repeat or (1 if arguments.quick else 3)
    latency = arguments.latency / 1000
    chosen = [SCENARIOS[name] for name in (arguments.scenario or sorted(SCENARIOS))]
    out("Tiếp Dân turn benchmark: the whole Telegram path on an offline fake Bot API")
    out(f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"python-telegram-bot {telegram.__version__}, {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} CPUs")
    out("The figures are for this machine and this run; compare ratios, not raw numbers, "
        "across machines.")
    out(f"Each figure is the fastest of {repeat} run(s), each on a fresh bot and SQLite file "
        f"after a warm-up of {warmup} users (not counted). Bot API latency: "
        f"{arguments.latency:g} ms per call.")
    for scenario in chosen:
        out(f"  {scenario.name}: {scenario.description} "
            f"({scenario.turns_per_user()} turns per user)")
    out()
    profiler = cProfile.Profile() if arguments.profile else None
    results: list[Result] = []
    for scenario in chosen:
        for concurrent in (False, True):
            for bot in (tiepdan, echo):
                runs = []
                for _run in range(repeat):
                    profile = profiler if bot is tiepdan and not concurrent else None
                    runs.append(await measure(bot, scenario, users, warmup,
                                              concurrent=concurrent, latency=latency,
                                              profiler=profile))
                results.append(min(runs, key=lambda result: result.seconds))
    report_table(results)
    if profiler is not None:
        report_profile(profiler, 30)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    arguments = parse_arguments(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger().addHandler(PROBLEMS)
    status = 0
    try:
        asyncio.run(run(arguments))
    except* BenchError as group:  # one, or several from people run concurrently
        for exc in group.exceptions:
            sys.stderr.write(f"benchmark failed: {exc}\n")
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
