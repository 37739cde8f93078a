"""The programme report as text for people (cells, Markdown) and as files (XLSX, one sheet per section; CSV)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.admin.report_data import Report
from core.formatting import long_date, number, percent, rupiah
from core.i18n import _
from core.report_table import Column

EMPTY = "-"
XLSX_FORMATS = {"count": "#,##0", "money": '"Rp"#,##0', "percent": "0.0%", "number": "#,##0.0"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def shown(value: Any, column: Column) -> str:
    """A cell as people read it: Rp5.000.000, 41,3%, 1.234, "< 5", or "-" when there is no figure."""
    if value is None:
        return EMPTY
    if isinstance(value, str):
        return value
    if column.kind == "money":
        return rupiah(value)
    if column.kind == "percent":
        return percent(Decimal(value))
    return number(value)


def heading(report: Report) -> list[str]:
    """The report's title lines: period, area, and the demo warning when synthetic data is in it."""
    lines = [
        _("Report: Period: {start} to {end}").format(
            start=long_date(report.period.start), end=long_date(report.period.end)
        ),
        _("Report: Kecamatan: {name}").format(name=report.kecamatan or _("Report: all")),
    ]
    if report.demo_businesses:
        lines.append(
            _("Report: Includes {count} demo businesses (synthetic data).").format(
                count=number(report.demo_businesses)
            )
        )
    return lines


def to_markdown(report: Report, title: str) -> str:
    """The report as Markdown, for the monthly letter."""
    out = [f"# {title}", "", *(f"{line}  " for line in heading(report)), ""]
    for section in report.sections:
        out += [f"## {section.title}", ""]
        for table in section.tables:
            out += [f"### {table.title}", ""]
            out.append("| " + " | ".join(c.heading for c in table.columns) + " |")
            out.append("|" + "|".join("---" if c.kind == "text" else "---:" for c in table.columns) + "|")
            for row in table.rows:
                cells = (shown(v, c).replace("|", "/") for v, c in zip(row, table.columns, strict=True))
                out.append("| " + " | ".join(cells) + " |")
            out += (["", f"_{table.note}_"] if table.note else []) + [""]
    return "\n".join(out)


def to_csv(report: Report) -> str:
    """The report as CSV in long form: section, table, row, column, value (numbers as plain numbers)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [_("Report: Section"), _("Report: Table"), _("Report: Row"), _("Report: Column"), _("Report: Value")]
    )
    for section in report.sections:
        for table in section.tables:
            for row in table.rows:
                for value, column in zip(row[1:], table.columns[1:], strict=True):
                    writer.writerow([section.title, table.title, row[0], column.heading, _plain(value)])
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    """A value for CSV: numbers as they are, no figure as empty."""
    return "" if value is None else value


def to_xlsx(report: Report, title: str) -> bytes:
    """The report as a workbook: one sheet per section, numbers as numbers with Rupiah and percent formats."""
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for section in report.sections:
        sheet = book.create_sheet(section.title[:31])
        sheet.append([title])
        sheet["A1"].font = Font(bold=True, size=13)
        for line in heading(report):
            sheet.append([line])
        for table in section.tables:
            sheet.append([])
            sheet.append([table.title])
            sheet.cell(sheet.max_row, 1).font = bold
            sheet.append([c.heading for c in table.columns])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for row in table.rows:
                sheet.append([_plain(v) if isinstance(v, int | Decimal | str) else None for v in row])
                for cell, column in zip(sheet[sheet.max_row], table.columns, strict=False):
                    if column.kind in XLSX_FORMATS and not isinstance(cell.value, str):
                        cell.number_format = XLSX_FORMATS[column.kind]
            if table.note:
                sheet.append([table.note])
        sheet.column_dimensions["A"].width = 48
        for letter in "BCDEFG":
            sheet.column_dimensions[letter].width = 20
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
