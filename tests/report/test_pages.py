"""/admin/report through the real app: who may see what, the filters, the downloads and the audited named list."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlmodel import select

from storage.models import AuditLog
from tests.admin.conftest import add_account, sign_in
from tests.report import fixture


async def test_the_home_page_links_to_the_report(admin_client) -> None:  # noqa: ANN001
    assert 'href="/admin/report"' in (await admin_client.get("/admin")).text


async def test_a_viewer_reads_the_report_and_its_downloads(client, sessions, clock) -> None:  # noqa: ANN001
    await fixture.load(sessions)
    await sign_in(
        client, "pantau@dinas.test", await add_account(sessions, clock, "pantau@dinas.test", "viewer")
    )
    page = await client.get("/admin/report")
    assert page.status_code == 200
    assert "Gerbang Serasan (dibayar Pemkab)" in page.text and "Rp2.285.305" in page.text
    assert "/static/admin/vendor/chart-4.4.9.umd.min.js" in page.text
    assert "report/followup.csv" not in page.text
    assert (await client.get("/admin/report/followup.csv")).status_code == 403
    workbook = await client.get("/admin/report.xlsx")
    assert (
        workbook.headers["content-disposition"] == 'attachment; filename="laporan-2026-01-01-2026-12-31.xlsx"'
    )
    sheets = load_workbook(io.BytesIO(workbook.content)).sheetnames
    assert sheets == ["Jangkauan", "Akses pembiayaan", "Dana program", "Angsuran dan pembayaran", "Dampak"]
    lines = (await client.get("/admin/report.csv")).text.splitlines()
    assert (
        "Dana program,Subsidi bunga dan premi asuransi,Gerbang Serasan (dibayar Pemkab),Premi sampai akhir periode,750000"
        in lines
    )


async def test_the_filters(admin_client, sessions) -> None:  # noqa: ANN001
    await fixture.load(sessions)
    march = await admin_client.get("/admin/report", params={"kind": "month", "on": "2026-03-05"})
    assert "1 Maret 2026 sampai 31 Maret 2026" in march.text
    custom = await admin_client.get(
        "/admin/report",
        params={"kind": "custom", "start": "2026-02-01", "end": "2026-12-31", "kecamatan": "Muara Enim"},
    )
    assert "1 Februari 2026 sampai 31 Desember 2026 · Muara Enim" in custom.text
    bad = await admin_client.get(
        "/admin/report", params={"kind": "custom", "start": "2026-12-31", "end": "2026-01-01"}
    )
    assert bad.status_code == 400 and "tahun-bulan-hari" in bad.text
    unknown = await admin_client.get("/admin/report", params={"kecamatan": "Atlantis"})
    assert unknown.status_code == 400 and "Kecamatan tidak dikenal: Atlantis." in unknown.text


async def test_the_named_follow_up_list_is_for_admins_and_audited(admin_client, sessions) -> None:  # noqa: ANN001
    await fixture.load(sessions)
    response = await admin_client.get("/admin/report/followup.csv")
    assert response.status_code == 200
    rows = response.text.lstrip("\ufeff").splitlines()
    assert rows[1:] == ["Pemilik o3,628120000003,Usaha o3,Muara Enim,BRI,10,2026-11-15,846937"]
    async with sessions() as session:
        audit = (
            await session.exec(select(AuditLog).where(AuditLog.action == "report.followup_export"))
        ).one()
    assert audit.actor == "rina@dinas.test" and audit.detail == {"kecamatan": None, "owners": 1}


async def test_a_download_with_a_bad_period_says_what_to_send(admin_client) -> None:  # noqa: ANN001
    bad = await admin_client.get(
        "/admin/report.xlsx", params={"kind": "custom", "start": "kemarin", "end": ""}
    )
    assert bad.status_code == 400 and "tahun-bulan-hari" in bad.text
    assert (await admin_client.get("/admin/report.pdf")).status_code == 404


async def test_nobody_reads_the_report_without_signing_in(client) -> None:  # noqa: ANN001
    for path in ("/admin/report", "/admin/report.xlsx", "/admin/report.csv", "/admin/report/followup.csv"):
        response = await client.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/admin/login", path
