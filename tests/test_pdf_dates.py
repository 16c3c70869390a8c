"""The dates a PDF says it was made and changed: the brief's date, never ReportLab's default.

The information dictionary (CreationDate, ModDate) and the XMP packet (xmp:CreateDate,
ModifyDate, MetadataDate) must agree for PDF/A, and both follow the date the brief shows: the
article's, else SOURCE_DATE_EPOCH's day. A build keys a dateless article on that day only, so
another SOURCE_DATE_EPOCH on the same day must give the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from pipeline.cli import main

DAY = 1_700_000_000  # 2023-11-14 22:13:20 UTC


def build(project: Path, out: Path, epoch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    args = ["--project", str(project), "--out", str(out), "--format", "pdf", "-f", "general"]
    result = CliRunner().invoke(main, [*args, "--jobs", "1", "-q"])
    assert result.exit_code == 0, result.output


def dates(pdf_path: Path) -> tuple[list[str], list[str]]:
    with pikepdf.open(pdf_path) as pdf:
        info = [str(pdf.docinfo[key]) for key in ("/CreationDate", "/ModDate")]
        with pdf.open_metadata() as xmp:
            packet = [str(xmp[key]) for key in ("xmp:CreateDate", "xmp:ModifyDate")]
            packet.append(str(xmp["xmp:MetadataDate"]))
    return info, packet


@pytest.fixture
def project(fixture_project: Callable[[str], Path]) -> Path:
    return fixture_project("build-small")


def test_a_dated_article_is_dated_by_its_own_date(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(project, tmp_path / "out", DAY, monkeypatch)
    info, packet = dates(tmp_path / "out" / "alpha" / "general.pdf")  # date: 2024-03-01
    assert info == ["D:20240301000000+00'00'"] * 2
    assert packet == ["2024-03-01T00:00:00+00:00"] * 3


def test_an_undated_article_takes_the_day_of_source_date_epoch(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(project, tmp_path / "out", DAY, monkeypatch)
    info, packet = dates(tmp_path / "out" / "beta" / "general.pdf")  # no date
    assert info == ["D:20231114000000+00'00'"] * 2
    assert packet == ["2023-11-14T00:00:00+00:00"] * 3
    assert not any("2000" in value for value in [*info, *packet])


def test_the_same_day_gives_the_same_bytes_and_id(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(project, tmp_path / "morning", DAY - 3600 * 20, monkeypatch)
    build(project, tmp_path / "night", DAY + 3600, monkeypatch)
    for article in ("alpha", "beta"):
        morning = (tmp_path / "morning" / article / "general.pdf").read_bytes()
        assert morning == (tmp_path / "night" / article / "general.pdf").read_bytes(), article
    build(project, tmp_path / "tomorrow", DAY + 86400, monkeypatch)
    # The dated article does not move with SOURCE_DATE_EPOCH; the undated one does.
    assert (tmp_path / "tomorrow" / "alpha" / "general.pdf").read_bytes() == (
        tmp_path / "night" / "alpha" / "general.pdf"
    ).read_bytes()
    info, _ = dates(tmp_path / "tomorrow" / "beta" / "general.pdf")
    assert info[0] == "D:20231115000000+00'00'"
    with (
        pikepdf.open(tmp_path / "tomorrow" / "beta" / "general.pdf") as late,
        pikepdf.open(tmp_path / "night" / "beta" / "general.pdf") as early,
    ):
        assert bytes(late.trailer.ID[0]) != bytes(early.trailer.ID[0])
