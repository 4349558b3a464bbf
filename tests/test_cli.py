"""The ``tiepdan`` command line: global options, one clear line for every failure, periods,
file names and formats, backups with their key, and the messages in Vietnamese."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import stat
import threading
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from bot import cli
from tests.conftest import Tiepdan

OFFICE = "Ban Tiếp công dân tỉnh Thử Nghiệm"
KEY = "test-secret-key-0123456789abcdef"
REGISTER_CSV = ("Ngày tiếp;Họ tên, địa chỉ;CCCD;Nội dung;Số người\n"
                "20/11/2026;Lò Văn Ích, bản Nà Làng;001085012345;Hỏi chính sách;1\n"
                "21/11/2026;Hoàng Thị Gấm;;Phản ánh tiếng ồn;2\n")


@dataclass(frozen=True)
class Done:
    """What one run of the command did."""

    status: int
    out: str
    err: str


class Cli:
    """Run ``tiepdan`` in this process, in ``tmp_path``, with a clean environment."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> None:
        self.tmp_path = tmp_path
        self.database = tmp_path / "tiepdan.db"
        self._capsys = capsys
        for name in [n for n in os.environ if n.startswith(("TIEPDAN_", "TELEGRAM_"))]:
            monkeypatch.delenv(name)
        monkeypatch.setenv("TIEPDAN_DATABASE", str(self.database))
        monkeypatch.setenv("TIEPDAN_SECRET_KEY", KEY)
        monkeypatch.chdir(tmp_path)
        # The test runner owns logging; the command would replace its handlers.
        monkeypatch.setattr(cli, "setup_logging", lambda level: None)
        self._monkeypatch = monkeypatch

    def without_key(self) -> None:
        """Run without TIEPDAN_SECRET_KEY, as a trial install does."""
        self._monkeypatch.delenv("TIEPDAN_SECRET_KEY")

    def without_database_variable(self) -> None:
        """Let the settings file choose the database."""
        self._monkeypatch.delenv("TIEPDAN_DATABASE")

    def __call__(self, *args: str) -> Done:
        self._capsys.readouterr()
        status = cli.main(list(args))
        captured = self._capsys.readouterr()
        return Done(status, captured.out, captured.err)


@pytest.fixture
def tiepdan_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                capsys: pytest.CaptureFixture[str]) -> Cli:
    """Return the command, run in-process in ``tmp_path``."""
    return Cli(tmp_path, monkeypatch, capsys)


def one_clear_line(done: Done) -> str:
    """Return the single line a failed command wrote, after checking it failed cleanly."""
    assert done.status != 0, done
    assert "Traceback" not in done.err
    lines = done.err.strip().splitlines()
    assert len(lines) == 1, done.err
    return lines[0]


def rows_in(database: Path, table: str) -> int:
    """Return how many rows ``table`` of the database holds."""
    with sqlite3.connect(database) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608 - a test's own table name


# -- 2: --config and --verbose before or after the command --------------------------------------


@pytest.mark.parametrize("before", [True, False], ids=["before", "after"])
def test_config_is_used_before_or_after_the_command(tiepdan_cli: Cli, tmp_path: Path,
                                                     before: bool) -> None:
    """``--config`` names the settings file whether it comes before the command or after it:
    the database the file names is the one migrated."""
    tiepdan_cli.without_database_variable()
    chosen = tmp_path / "chosen.db"
    good = tmp_path / "good.toml"
    good.write_text(f'database = "{chosen.as_posix()}"\n', encoding="utf-8")
    args = (["--config", str(good), "--verbose", "db", "migrate"] if before
            else ["db", "migrate", "--config", str(good), "--verbose"])

    done = tiepdan_cli(*args)

    assert done.status == 0, done.err
    assert chosen.is_file()
    assert not (tmp_path / "tiepdan.db").exists()


@pytest.mark.parametrize("before", [True, False], ids=["before", "after"])
def test_a_missing_config_file_is_refused_before_or_after_the_command(
        tiepdan_cli: Cli, before: bool) -> None:
    """A ``--config`` file that does not exist stops the command with the key, the value and
    what was expected, wherever the option stands."""
    args = ["--config", "nope.toml", "db", "migrate"] if before else [
        "db", "migrate", "--config", "nope.toml"]

    line = one_clear_line(tiepdan_cli(*args))

    assert line == ('tiepdan: Không dùng được thiết lập --config = "nope.toml": cần một tệp '
                    'TOML có sẵn.')
    assert not tiepdan_cli.database.exists()


def test_tiepdan_config_chooses_the_file_and_config_overrides_it(tiepdan_cli: Cli,
                                                                 tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    """TIEPDAN_CONFIG names the settings file when no ``--config`` is given; ``--config``
    before the command wins over it; a TIEPDAN_CONFIG naming no file is refused by name."""
    tiepdan_cli.without_database_variable()
    for name in ("env", "option"):
        (tmp_path / f"{name}.toml").write_text(
            f'database = "{(tmp_path / name).as_posix()}.db"\n', encoding="utf-8")
    monkeypatch.setenv("TIEPDAN_CONFIG", str(tmp_path / "env.toml"))

    from_env = tiepdan_cli("db", "migrate")
    from_option = tiepdan_cli("--config", str(tmp_path / "option.toml"), "db", "migrate")
    monkeypatch.setenv("TIEPDAN_CONFIG", "missing.toml")
    missing = one_clear_line(tiepdan_cli("db", "migrate"))

    assert from_env.status == 0, from_env.err
    assert from_option.status == 0, from_option.err
    assert (tmp_path / "env.db").is_file()
    assert (tmp_path / "option.db").is_file()
    assert missing == ('tiepdan: Không dùng được thiết lập TIEPDAN_CONFIG = "missing.toml": '
                       'cần một tệp TOML có sẵn.')


def test_mistakes_in_the_arguments_are_told_in_vietnamese(tiepdan_cli: Cli) -> None:
    """A missing option, a value not among the choices, a word not understood and a number
    that is not one are each refused in one Vietnamese line with where to find help."""
    period = ["--from", "1/11/2026", "--to", "30/11/2026"]

    missing = one_clear_line(tiepdan_cli("export", "register", "--from", "1/11/2026",
                                         "--output", "x.xlsx"))
    choice = one_clear_line(tiepdan_cli("export", "register", *period, "--format", "pdf",
                                        "--output", "x.pdf"))
    unknown = one_clear_line(tiepdan_cli("db", "migrate", "--force"))
    number = one_clear_line(tiepdan_cli("staff", "invite", "--role", "staff", "--hours",
                                        "mot"))
    command = one_clear_line(tiepdan_cli("sao-luu"))

    assert missing == ("tiepdan: Cần ghi thêm: --to. Xem hướng dẫn: tiepdan export register "
                       "--help")
    assert choice == ("tiepdan: --format không nhận giá trị 'pdf': vui lòng chọn một trong các "
                      "giá trị 'xlsx', 'csv'. Xem hướng dẫn: tiepdan export register --help")
    assert unknown == "tiepdan: Không hiểu phần này: --force. Xem hướng dẫn: tiepdan --help"
    assert number.startswith("tiepdan: --hours cần một số nguyên, không phải 'mot'.")
    assert command.startswith("tiepdan: COMMAND không nhận giá trị 'sao-luu'")
    for line in (missing, choice, unknown, number, command):
        assert "error" not in line
        assert "usage" not in line


def test_the_terminal_chat_uses_the_config_given_before_it(tiepdan: Tiepdan) -> None:
    """``tiepdan --config good.toml chat`` greets with the office the file names."""
    (tiepdan.tmp_path / "good.toml").write_text(f'[office]\nname = "{OFFICE}"\n',
                                                 encoding="utf-8")

    result = tiepdan.run("--config", "good.toml", "chat", stdin="/start\n")

    assert result.returncode == 0, result.stderr
    assert OFFICE in result.stdout


# -- 3 and 6: one clear line, in Vietnamese, for every failure ---------------------------------


def test_settings_errors_are_told_in_vietnamese(tiepdan_cli: Cli, tmp_path: Path) -> None:
    """A misspelt key, a number out of range, a bad legal rule and a file not in UTF-8 are
    each refused in one Vietnamese line with the key, the value and what was expected."""
    cases = {
        'databse = "x.db"\n': 'thiết lập databse = "x.db": cần không có thiết lập nào mang '
                              'tên này (vui lòng kiểm tra chính tả)',
        "draft_resume_after_hours = 0\n": "draft_resume_after_hours = 0: cần một số nguyên "
                                          "từ 1 đến 720",
        "[[legal_rules]]\nkey = 'petition.reply'\nvalue = 0\nunit = 'days'\n"
        "effective_from = 2014-07-01\nsource = 'x'\n": "legal_rules[1] = \"petition.reply\": "
                                                       "cần giá trị là số nguyên từ 1 trở lên, "
                                                       "không phải 0",
    }
    for text, expected in cases.items():
        (tmp_path / "tiepdan.toml").write_text(text, encoding="utf-8")
        line = one_clear_line(tiepdan_cli("db", "migrate"))
        assert expected in line, line
        assert "expected" not in line
    (tmp_path / "tiepdan.toml").write_bytes(b'database = "s\xf4\xd2.db"\n')  # «sổ» in cp1258
    line = one_clear_line(tiepdan_cli("db", "migrate"))
    assert line == ("tiepdan: Không dùng được tệp cấu hình tiepdan.toml: cần một tệp văn bản "
                    "lưu theo bảng mã UTF-8.")
    (tmp_path / "tiepdan.toml").write_text("[office\n", encoding="utf-8")
    line = one_clear_line(tiepdan_cli("db", "migrate"))
    assert "cần nội dung TOML hợp lệ (có lỗi ở dòng 1, cột" in line


def test_damaged_and_wrong_files_are_refused_in_one_line(tiepdan_cli: Cli,
                                                          tmp_path: Path) -> None:
    """Random bytes named .xlsx, an empty file, a CSV in another encoding and an unknown
    extension are refused with one Vietnamese line each, for both imports; nothing is
    stored."""
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(os.urandom(300))
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "old.csv").write_bytes(b"Ng\xe0y ti\xea\xecp;H\xf4 t\xean\n")  # in cp1258
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    expected = {
        "broken.xlsx": "đây không phải tệp .xlsx đọc được (tệp bị hỏng, có đặt mật khẩu hoặc "
                       "là loại tệp khác)",
        "empty.csv": "tệp trống",
        "old.csv": "tệp .csv phải được lưu theo bảng mã UTF-8 (trong Excel: «CSV UTF-8»)",
        "notes.txt": "chỉ nhập được tệp .xlsx hoặc .csv",
    }
    for name, reason in expected.items():
        for what in ("register", "petitions"):
            done = tiepdan_cli("import", what, name)
            assert done.status == 1, done
            assert "Traceback" not in done.err
            first = done.err.splitlines()[0]
            assert first == f"tiepdan: Không đọc được tệp: {reason}.", (what, name, first)
            assert "Chưa nhập dòng nào" in done.err
    assert rows_in(tiepdan_cli.database, "visits") == 0
    assert rows_in(tiepdan_cli.database, "petitions") == 0
    assert "Không có tệp missing.csv." in one_clear_line(tiepdan_cli("import", "register",
                                                                     "missing.csv"))


def test_a_petition_list_that_is_no_workbook_is_refused_in_one_line(tiepdan_cli: Cli,
                                                                    tmp_path: Path) -> None:
    """``import petitions`` of a text file named .xlsx (not a zip at all) or of a zip that
    holds no workbook stops with one Vietnamese line and status 1; nothing is stored."""
    (tmp_path / "text.xlsx").write_text("Ngày nhận đơn;Loại đơn\n05/03/2024;Khiếu nại\n",
                                        encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "photos.xlsx", "w") as archive:
        archive.writestr("anh.jpg", b"\xff\xd8\xff")

    for name in ("text.xlsx", "photos.xlsx"):
        done = tiepdan_cli("import", "petitions", name)
        lines = done.err.strip().splitlines()
        assert done.status == 1, done
        assert "Traceback" not in done.err
        assert lines[0] == ("tiepdan: Không đọc được tệp: đây không phải tệp .xlsx đọc được "
                            "(tệp bị hỏng, có đặt mật khẩu hoặc là loại tệp khác).")
        assert lines[1:] == [
            "tiepdan: Chưa nhập dòng nào. Vui lòng sửa tệp rồi chạy lại lệnh nhập."]
    assert rows_in(tiepdan_cli.database, "petitions") == 0


def test_a_backup_into_a_folder_or_an_export_to_a_bad_path_says_why(tiepdan_cli: Cli,
                                                                    tmp_path: Path) -> None:
    """``db backup`` to a folder, or with no database yet, and an export into a folder or
    under a file each stop with one clear line and a non-zero status."""
    folder = tmp_path / "some" / "directory"
    folder.mkdir(parents=True)
    (tmp_path / "a-file").write_text("x", encoding="utf-8")

    no_database = one_clear_line(tiepdan_cli("db", "backup", str(tmp_path / "b.db")))
    assert tiepdan_cli("db", "migrate").status == 0
    into_folder = one_clear_line(tiepdan_cli("db", "backup", str(folder)))
    onto_itself = one_clear_line(tiepdan_cli("db", "backup", "tiepdan.db"))
    export_folder = one_clear_line(tiepdan_cli(
        "export", "register", "--from", "1/11/2026", "--to", "30/11/2026", "--format", "csv",
        "--output", str(folder)))
    under_a_file = one_clear_line(tiepdan_cli(
        "export", "petitions", "--from", "11/2026", "--to", "11/2026",
        "--output", str(tmp_path / "a-file" / "so.xlsx")))

    assert "Chưa có cơ sở dữ liệu" in no_database
    assert into_folder == (f"tiepdan: {folder} là một thư mục: vui lòng ghi tên tệp sao lưu, "
                           f"ví dụ {folder / 'tiepdan-backup.db'}.")
    assert "chính là tệp cơ sở dữ liệu đang dùng" in onto_itself
    assert export_folder == f"tiepdan: Không dùng được {folder}: đây là thư mục, không phải tệp."
    assert under_a_file.startswith("tiepdan: Không dùng được ")
    assert "một phần của đường dẫn không phải là thư mục" in under_a_file


def test_a_backup_that_cannot_be_written_says_so_and_leaves_nothing(tiepdan_cli: Cli,
                                                                   tmp_path: Path) -> None:
    """A backup whose name is too long, whose folder is a file, or that would overwrite a file
    that is no database stops with one line naming the backup (not the database); no file is
    left behind and the existing file is untouched."""
    assert tiepdan_cli("db", "migrate").status == 0
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    notes = tmp_path / "notes.db"
    notes.write_text("meeting notes, not a database\n" * 50, encoding="utf-8")
    long_name = tmp_path / ("b" * 300 + ".db")

    too_long = one_clear_line(tiepdan_cli("db", "backup", str(long_name)))
    under_a_file = one_clear_line(tiepdan_cli("db", "backup", str(tmp_path / "a-file" / "b.db")))
    not_a_database = one_clear_line(tiepdan_cli("db", "backup", str(notes)))

    assert too_long == f"tiepdan: Không dùng được {long_name}: tên quá dài."
    assert under_a_file.startswith("tiepdan: Không dùng được ")
    assert under_a_file.endswith(": một phần của đường dẫn không phải là thư mục.")
    assert not_a_database == (f"tiepdan: Không ghi được bản sao lưu vào {notes}: tệp này không "
                              "phải là cơ sở dữ liệu.")
    assert notes.read_text(encoding="utf-8").startswith("meeting notes")
    left = {path.name for path in tmp_path.iterdir()} - {"tiepdan.db-shm", "tiepdan.db-wal"}
    assert left == {"a-file", "notes.db", "tiepdan.db"}


def connection_threads() -> list[threading.Thread]:
    """Return the threads of database connections still open in this process."""
    return [thread for thread in threading.enumerate()
            if "_connection_worker_thread" in thread.name]


@pytest.mark.parametrize("command", [["db", "migrate"], ["db", "backup", "b.db"],
                                     ["export", "register", "--from", "2026", "--to", "2026",
                                      "--output", "x.csv"]])
def test_a_database_that_is_not_one_is_refused_in_one_line(tiepdan_cli: Cli,
                                                           command: list[str]) -> None:
    """A database path that holds some other file stops the command with one clear line,
    and its connection is closed (an open one would keep the process from exiting)."""
    tiepdan_cli.database.write_bytes(b"not a database at all, just text" * 40)
    before = connection_threads()

    line = one_clear_line(tiepdan_cli(*command))

    assert line == (f"tiepdan: Không dùng được cơ sở dữ liệu {tiepdan_cli.database}: tệp này "
                    "không phải là cơ sở dữ liệu.")
    for thread in set(connection_threads()) - set(before):
        thread.join(timeout=5)
        assert not thread.is_alive()


# -- 4: imports skip what is already there, and say so -------------------------------------------


def test_importing_the_register_twice_adds_nothing_the_second_time(tiepdan_cli: Cli,
                                                                   tmp_path: Path) -> None:
    """The same register imported twice is stored once: the second run names the rows it
    skipped; a grown file adds only its new row."""
    source = tmp_path / "so.csv"
    source.write_text(REGISTER_CSV, encoding="utf-8")

    first = tiepdan_cli("import", "register", "so.csv")
    again = tiepdan_cli("import", "register", "so.csv")
    source.write_text(REGISTER_CSV + "22/11/2026;Vi Văn Hải;;Kiến nghị làm đường;1\n",
                      encoding="utf-8")
    grown = tiepdan_cli("import", "register", "so.csv")

    assert first.status == 0, first.err
    assert "Đã nhập 2 dòng" in first.out
    assert again.status == 0, again.err
    assert "Không có gì mới trong so.csv" in again.out
    assert "2 dòng đã có trong sổ nên được bỏ qua: dòng 2, 3." in again.err
    assert "Đã nhập 1 dòng" in grown.out
    assert "dòng 2, 3." in grown.err
    assert rows_in(tiepdan_cli.database, "visits") == 3


def test_importing_petitions_twice_makes_no_new_petitions(tiepdan_cli: Cli,
                                                          tmp_path: Path) -> None:
    """Petitions imported a second time (same day, type, body, content and sender) are
    skipped with their row numbers; no second tracking code is made."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ngày nhận đơn", "Loại đơn", "Người gửi",
                  "Cơ quan, người bị khiếu nại, tố cáo / nội dung kiến nghị", "Nội dung"])
    sheet.append(["05/03/2024", "Khiếu nại", "Nguyễn Văn An", "UBND xã Tân Thành",
                  "Thu hồi đất không bồi thường"])
    sheet.append(["06/03/2024", "Kiến nghị", "", "Đường vào thôn Nà Pàn",
                  "Đề nghị   làm đường"])
    book.save(tmp_path / "don.xlsx")

    first = tiepdan_cli("import", "petitions", "don.xlsx")
    again = tiepdan_cli("import", "petitions", "don.xlsx")

    assert first.status == 0, first.err
    assert "Đã nhập 2 đơn" in first.out
    assert again.status == 0, again.err
    assert "2 đơn đã có sẵn nên được bỏ qua: dòng 2, 3." in again.err
    assert "Không có gì mới trong don.xlsx" in again.out
    assert rows_in(tiepdan_cli.database, "petitions") == 2


def test_masked_cccd_numbers_are_warned_row_by_row_and_kept_masked(tiepdan_cli: Cli,
                                                                   tmp_path: Path) -> None:
    """A masked CCCD number («0011*****123», as an export or another program wrote it) is not
    stored as a number: each such row is named in a warning, its masked form is kept as
    «0011******23», one with too few digits shown is left out; a whole number is kept."""
    (tmp_path / "so.csv").write_text(
        "Ngày tiếp;Họ tên, địa chỉ;CCCD;Nội dung;Số người\n"
        "20/11/2026;Lò Văn Ích;0011*****123;Hỏi chính sách;1\n"
        "21/11/2026;Hoàng Thị Gấm;************;Phản ánh tiếng ồn;1\n"
        "22/11/2026;Vi Văn Hải;001085012345;Kiến nghị làm đường;1\n", encoding="utf-8")

    done = tiepdan_cli("import", "register", "so.csv")

    assert done.status == 0, done.err
    assert done.err.splitlines() == [
        "tiepdan: ⚠️ Dòng 2: số CCCD đã bị che (0011******23): chỉ lưu được dạng đã che, nên "
        "không tra cứu hay đối chiếu được bằng số này.",
        "tiepdan: ⚠️ Dòng 3: số CCCD đã bị che và còn quá ít chữ số để lưu: dòng này được nhập "
        "mà không có số CCCD.",
        "tiepdan: Khi xuất sổ với --full-cccd, số CCCD được giữ đầy đủ.",
    ]
    with sqlite3.connect(tiepdan_cli.database) as conn:
        stored = conn.execute("SELECT cccd_masked, cccd_digest, cccd_sealed "
                              "FROM visits ORDER BY received_on").fetchall()
    assert stored[0] == ("0011******23", None, None)
    assert stored[1] == (None, None, None)
    assert stored[2][0] == "0010******45"
    assert stored[2][1]


def test_a_petition_list_with_masked_numbers_warns_row_by_row(tiepdan_cli: Cli,
                                                              tmp_path: Path) -> None:
    """``import petitions`` names each row whose CCCD number is masked and keeps its masked
    form; the petition is stored all the same."""
    (tmp_path / "don.csv").write_text(
        "Ngày nhận đơn,Loại đơn,Người gửi,CCCD,"
        "\"Cơ quan, người bị khiếu nại, tố cáo / nội dung kiến nghị\",Nội dung\n"
        "05/03/2024,Khiếu nại,Nguyễn Văn An,0011*****123,UBND xã Tân Thành,Thu hồi đất\n"
        "06/03/2024,Kiến nghị,Trần Thị Bình,,Đường vào thôn,Đề nghị làm đường\n",
        encoding="utf-8")

    done = tiepdan_cli("import", "petitions", "don.csv")

    assert done.status == 0, done.err
    assert "Đã nhập 2 đơn" in done.out
    assert [line for line in done.err.splitlines() if "CCCD" in line] == [
        "tiepdan: ⚠️ Dòng 2: số CCCD đã bị che (0011******23): chỉ lưu được dạng đã che, nên "
        "không tra cứu hay đối chiếu được bằng số này."]
    with sqlite3.connect(tiepdan_cli.database) as conn:
        masked = conn.execute("SELECT cccd_masked, cccd_digest FROM petition_identities "
                              "WHERE full_name = 'Nguyễn Văn An'").fetchall()
    assert masked == [("0011******23", None)]


# -- 5: one way to write periods, file names that say their format, backups with their key ------


def test_both_exports_read_periods_alike_and_answer_in_dd_mm_yyyy(tiepdan_cli: Cli,
                                                                  tmp_path: Path) -> None:
    """``export register`` and ``export petitions`` take the same dates (1/11/2026, 11/2026,
    2026-11-01) and say the period as dd/mm/yyyy; the register's day is a date cell."""
    (tmp_path / "so.csv").write_text(REGISTER_CSV, encoding="utf-8")
    assert tiepdan_cli("import", "register", "so.csv").status == 0

    register = tiepdan_cli("export", "register", "--from", "1/11/2026", "--to", "30/11/2026",
                           "--output", "so.xlsx")
    by_month = tiepdan_cli("export", "register", "--from", "11/2026", "--to", "11/2026",
                           "--output", "thang.csv")
    petitions = tiepdan_cli("export", "petitions", "--from", "2026-11-01", "--to",
                            "30/11/2026", "--output", "don.csv")
    backwards = one_clear_line(tiepdan_cli("export", "register", "--from", "30/11/2026",
                                           "--to", "1/11/2026", "--output", "x.xlsx"))

    assert register.status == 0, register.err
    assert "Đã ghi 2 dòng sổ tiếp công dân (từ 01/11/2026 đến 30/11/2026)" in register.out
    assert by_month.status == 0, by_month.err
    assert "(từ 01/11/2026 đến 30/11/2026)" in by_month.out
    assert petitions.status == 0, petitions.err
    assert "từ 01/11/2026 đến 30/11/2026" in petitions.out
    assert "--from 1/11/2026 --to 30/11/2026" in backwards
    sheet = openpyxl.load_workbook(tmp_path / "so.xlsx").worksheets[0]
    assert sheet.cell(2, 2).value == datetime(2026, 11, 20)
    assert sheet.cell(2, 2).number_format == "DD/MM/YYYY"
    rows = list(csv.reader(io.StringIO((tmp_path / "thang.csv").read_text("utf-8-sig"))))
    assert rows[1][1] == "20/11/2026"


def test_an_unknown_output_extension_needs_format(tiepdan_cli: Cli, tmp_path: Path) -> None:
    """``--output x.txt`` is refused unless ``--format`` says what to write; a name and a
    format that disagree are refused too."""
    period = ["--from", "11/2026", "--to", "11/2026"]

    unknown = one_clear_line(tiepdan_cli("export", "register", *period, "--output", "x.txt"))
    clash = one_clear_line(tiepdan_cli("export", "petitions", *period, "--format", "csv",
                                       "--output", "x.xlsx"))
    chosen = tiepdan_cli("export", "petitions", *period, "--format", "csv", "--output",
                         "x.txt")

    assert unknown == ("tiepdan: x.txt: vui lòng đặt tên tệp có đuôi .xlsx hoặc .csv, hoặc "
                       "ghi thêm --format xlsx hay --format csv.")
    assert "có đuôi .xlsx nhưng --format là csv" in clash
    assert not (tmp_path / "x.xlsx").exists()
    assert chosen.status == 0, chosen.err
    assert (tmp_path / "x.txt").read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_backup_takes_its_key_file_along(tiepdan_cli: Cli, tmp_path: Path) -> None:
    """Without TIEPDAN_SECRET_KEY, ``db backup`` copies the database's key file beside the
    backup (readable by its owner only) and says that CCCD numbers need it."""
    tiepdan_cli.without_key()
    (tmp_path / "so.csv").write_text(REGISTER_CSV, encoding="utf-8")
    assert tiepdan_cli("import", "register", "so.csv").status == 0
    key_file = tmp_path / "tiepdan.db.key"
    assert key_file.is_file()

    done = tiepdan_cli("db", "backup", "backups/2026-11-26.db")

    copy = tmp_path / "backups" / "2026-11-26.db.key"
    assert done.status == 0, done.err
    assert "Đã sao lưu vào backups/2026-11-26.db." in done.out
    assert (f"Đã sao chép tệp khóa {key_file} sang backups/2026-11-26.db.key" in done.out)
    assert "số CCCD" in done.out
    assert copy.read_bytes() == key_file.read_bytes()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert rows_in(tmp_path / "backups" / "2026-11-26.db", "visits") == 2


def test_a_backup_with_the_key_in_the_environment_says_to_keep_it(tiepdan_cli: Cli) -> None:
    """With TIEPDAN_SECRET_KEY set, ``db backup`` copies no key and says the backup needs
    that key to read CCCD numbers."""
    assert tiepdan_cli("db", "migrate").status == 0

    done = tiepdan_cli("db", "backup", "b.db")

    assert done.status == 0, done.err
    assert "TIEPDAN_SECRET_KEY" in done.out
    assert not Path("b.db.key").exists()


def test_a_backup_whose_key_copy_would_land_on_a_folder_is_refused_first(
        tiepdan_cli: Cli, tmp_path: Path) -> None:
    """Without TIEPDAN_SECRET_KEY, a backup whose key copy (PATH.key) would be a folder is
    refused before anything is written, so a backup never goes without its key."""
    tiepdan_cli.without_key()
    (tmp_path / "so.csv").write_text(REGISTER_CSV, encoding="utf-8")
    assert tiepdan_cli("import", "register", "so.csv").status == 0
    (tmp_path / "b.db.key").mkdir()

    line = one_clear_line(tiepdan_cli("db", "backup", "b.db"))

    assert line == ("tiepdan: b.db.key là một thư mục, trong khi tệp khóa cần được sao chép vào "
                    "đúng chỗ đó, cạnh bản sao lưu. Vui lòng chọn tên khác cho bản sao lưu.")
    assert not (tmp_path / "b.db").exists()
