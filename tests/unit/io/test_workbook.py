"""Excel workbooks read as CSV sheets: the same documents as the CSV route, and every refusal.

Workbooks are built here with openpyxl from rows typed out in the test or from the seed's CSV
sheets. The expected documents come from the CSV readers given the same rows as CSV (written
with the csv module), an independent route to the same result; cell texts come from the values
written.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from datetime import date, datetime, time

import pytest
from openpyxl import Workbook

from app.domain.errors import InvalidData
from app.domain.models import Document
from app.io import workbook
from app.io.kumu import read_kumu
from app.io.sheets import read_sheets, to_sheets
from app.io.workbook import MAX_ROWS, MAX_SHEETS, cell_text, read_workbook

Rows = Sequence[Sequence[object]]

KUMU_ELEMENTS: Rows = [
    ["Label", "Element Type", "Description", "Tags", "ID"],
    ["Fundación Ñandú", "Funder", "Gives grants", "Spain", "e1"],
    ["Helping Hands", "NGO", None, None, "e2"],
    ["Unión de Trabajadoras", "Trade union", None, "Domestic work|CO|care_work", "e3"],
    ["SEWA Bank", "Co-op", "Founded 1974", "IN", "e4"],
]
KUMU_CONNECTIONS: Rows = [
    ["From", "To", "Connection Type", "Tags", "Description"],
    ["e1", "Helping Hands", "Funding", "finance", "2021 grant"],
    ["Helping Hands", "e3", "Support", "training|micro", None],
    ["e3", "SEWA Bank", "Partnership", None, None],
]


def csv_bytes(rows: Rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["" if v is None else str(v) for v in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def book(sheets: dict[str, Rows]) -> bytes:
    """A workbook with one worksheet per entry, rows written as given (values keep their type)."""
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def patched(data: bytes, change: Callable[[str], str], member: str) -> bytes:
    """The workbook with one part's XML changed, as another program might have written it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == member:
                content = change(content.decode("utf-8")).encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


def refusal(data: bytes, origin: str = "upload/map.xlsx") -> str:
    with pytest.raises(InvalidData) as caught:
        read_workbook(data, origin)
    [problem] = caught.value.problems
    assert (problem.record, problem.field) == (origin, "(file)")
    return problem.message


def test_a_kumu_workbook_reads_as_its_csv_sheets_do() -> None:
    origin = "maps/ecosystem.xlsx"
    sheets = read_workbook(
        book({"Elements": KUMU_ELEMENTS, "Connections": KUMU_CONNECTIONS}), origin
    )
    assert list(sheets) == [f"{origin}/Elements.csv", f"{origin}/Connections.csv"]
    expected = read_kumu(
        {
            f"{origin}/Elements.csv": csv_bytes(KUMU_ELEMENTS),
            f"{origin}/Connections.csv": csv_bytes(KUMU_CONNECTIONS),
        },
        origin,
    )
    doc = read_kumu(sheets, origin)
    assert doc == expected
    assert (len(doc.organizations), len(doc.relationships)) == (4, 3)
    # The locator names the workbook's sheet and the row Excel shows.
    assert doc.organizations[1].sources[0].locator == f"{origin}/Elements.csv row 3"


def typed(header: Sequence[str], row: Sequence[str]) -> list[object]:
    """A CSV row of our sheets as a person keeps it in Excel: numbers and dates as such."""
    kinds: dict[str, Callable[[str], object]] = {
        "founded": int,
        "since": int,
        "until": int,
        "amount": float,
        "awarded": date.fromisoformat,
    }
    return [
        kinds[title](cell) if cell and title in kinds else (cell or None)
        for title, cell in zip(header, row, strict=False)
    ]


def test_our_own_sheets_read_from_a_workbook_as_from_csv(seed: Document) -> None:
    grant = seed.relationships[0].model_copy(
        update={
            "id": "a-grant",
            "type": "FUNDS",
            "mode": None,
            "amount": 25000.0,
            "currency": "GBP",
            "awarded": date(2021, 3, 4),
            "since": 2021,
        }
    )
    doc = seed.model_copy(update={"relationships": [*seed.relationships, grant]})
    csvs = to_sheets(doc)
    tables = {
        name.removesuffix(".csv"): list(csv.reader(io.StringIO(data.decode("utf-8"))))
        for name, data in csvs.items()
    }
    workbook_sheets: dict[str, Rows] = {
        title: [rows[0], *(typed(rows[0], row) for row in rows[1:])]
        for title, rows in tables.items()
    }
    sheets = read_workbook(book(workbook_sheets), "ours.xlsx")
    assert read_sheets(sheets) == read_sheets(csvs)
    assert read_sheets(sheets).relationships[-1].awarded == date(2021, 3, 4)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("Trade union", "Trade union"),
        (2005, "2005"),
        (2005.0, "2005"),
        (1250.5, "1250.5"),
        (-3.0, "-3"),
        (True, "TRUE"),
        (False, "FALSE"),
        (date(2021, 3, 4), "2021-03-04"),
        (datetime(2021, 3, 4), "2021-03-04"),
        (datetime(2021, 3, 4, 9, 30), "2021-03-04 09:30:00"),
        (time(9, 30), "09:30:00"),
    ],
)
def test_cell_values_become_text(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_stored_cell_types_become_text() -> None:
    data = book({"Elements": [["Label", "Type", "Founded", "Seen"], ["SEWA", "Union", 1, None]]})
    # Another program may store a year as 2005.0 and a date as a date-formatted number.
    data = patched(data, lambda xml: xml.replace("<v>1</v>", "<v>2005.0</v>"), SHEET1)
    [text] = read_workbook(data, "m.xlsx").values()
    assert text.decode("utf-8").splitlines() == ["Label,Type,Founded,Seen", "SEWA,Union,2005"]


SHEET1 = "xl/worksheets/sheet1.xml"


def test_formulas_give_their_saved_value_and_are_never_evaluated() -> None:
    data = book({"Elements": [["Label", "Type", "Note"], ["SEWA", "Union", "=1+2"]]})
    # openpyxl saves the formula with no value; Excel would save its last result as <v>.
    assert "<f>1+2</f><v></v>" in zipfile.ZipFile(io.BytesIO(data)).read(SHEET1).decode()
    [unsaved] = read_workbook(data, "m.xlsx").values()
    assert unsaved.decode().splitlines()[1] == "SEWA,Union"
    saved = patched(
        data, lambda xml: xml.replace("<f>1+2</f><v></v>", "<f>1+2</f><v>7</v>"), SHEET1
    )
    [cached] = read_workbook(saved, "m.xlsx").values()
    # 7, the value saved with the file, not 3 (evaluated) nor "=1+2" (the formula).
    assert cached.decode().splitlines()[1] == "SEWA,Union,7"


def test_rows_keep_their_numbers_and_trailing_empties_are_dropped() -> None:
    rows: Rows = [
        ["Label", "Type", None, None],
        ["SEWA", "Union", None, None],
        [None, None],
        ["WIEGO", "Guild", None],
        [None],
        [None, None, None],
    ]
    sheets = read_workbook(book({"Elements": rows}), "m.xlsx")
    assert sheets == {"m.xlsx/Elements.csv": b"Label,Type\r\nSEWA,Union\r\n\r\nWIEGO,Guild\r\n"}
    with pytest.raises(InvalidData) as caught:
        read_kumu(sheets, "m.xlsx")
    [problem] = caught.value.problems
    assert (problem.record, problem.field) == ("m.xlsx/Elements.csv row 4", "Type")


def test_empty_and_ignored_sheets_are_left_out() -> None:
    data = book({"Elements": KUMU_ELEMENTS, "Notes (ignore)": [["anything"]], "Sheet2": []})
    assert list(read_workbook(data, "m.xlsx")) == ["m.xlsx/Elements.csv"]


def test_the_limits_are_those_promised() -> None:
    assert (MAX_SHEETS, MAX_ROWS) == (20, 200_000)


def test_too_many_sheets_are_refused() -> None:
    data = book({f"S{n}": [["Label"], ["x"]] for n in range(MAX_SHEETS + 1)})
    assert refusal(data) == f"has {MAX_SHEETS + 1} sheets"


def test_too_many_rows_in_all_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "MAX_ROWS", 5)
    three = [["Label", "Type"], ["A", "NGO"], ["B", "NGO"]]
    assert len(read_workbook(book({"One": three, "Two": three[:2]}), "m.xlsx")) == 2
    assert refusal(book({"One": three, "Two": three})) == "has more than 5 rows"


def test_too_many_cells_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "MAX_CELLS", 10)
    assert refusal(book({"One": [["a"] * 6, ["b"] * 6]})) == "has more than 10 cells"


@pytest.mark.parametrize(
    "data",
    [b"Label,Type\nSEWA,Union\n", b"PK\x03\x04 broken", b""],
    ids=["csv", "broken zip", "empty"],
)
def test_what_is_no_workbook_is_refused_naming_the_file(data: bytes) -> None:
    assert refusal(data).startswith("not a readable Excel workbook (.xlsx)")


def test_a_zip_that_is_no_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Elements.csv", "Label,Type\n")
    assert refusal(buffer.getvalue()).startswith("not a readable Excel workbook (.xlsx)")


def test_a_damaged_sheet_is_refused() -> None:
    data = patched(book({"Elements": KUMU_ELEMENTS}), lambda xml: xml[: len(xml) // 2], SHEET1)
    assert refusal(data).startswith("not a readable Excel workbook (.xlsx)")


def test_a_workbook_with_nothing_to_read_is_refused() -> None:
    assert refusal(book({"Sheet1": [], "Notes (ignore)": [["x"]]})) == "has no sheet with data"


def test_a_sheet_name_is_kept_in_the_file_name() -> None:
    sheets = read_workbook(book({"Élements 2024": [["Label", "Type"]]}), "dir/m.xlsx")
    assert list(sheets) == ["dir/m.xlsx/Élements 2024.csv"]
    assert re.fullmatch(r"Label,Type\r\n", next(iter(sheets.values())).decode())
