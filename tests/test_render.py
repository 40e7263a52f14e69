"""Tests of briefing.render: the Word document read back with python-docx, Markdown, dict."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import time
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import IO

import docx
import pytest
from builders import (
    make_briefing,
    make_item,
    make_section,
    make_skipped,
    make_source,
)
from docx.document import Document

from briefing.errors import OutputError, TemplateError
from briefing.mail.message import digest_of, read_digest
from briefing.models import Briefing
from briefing.render import default_template, to_dict, to_markdown, write_docx
from briefing.render.text import short_link

BULLET_STYLE = "List Bullet"


def written(
    tmp_path: Path, briefing: Briefing | None = None, template: Path | None = None
) -> Document:
    """Write ``briefing`` (default: make_briefing()) to tmp_path and read it back."""
    path = write_docx(briefing or make_briefing(), tmp_path / "brief.docx", template=template)
    return docx.Document(str(path))


def texts_in(doc: Document, style: str) -> list[str]:
    """Return the text of each body paragraph in ``style``."""
    return [p.text for p in doc.paragraphs if p.style.name == style]


def part_xml(path: Path, prefix: str) -> str:
    """Return the XML of every part under word/ whose name starts with ``prefix``, joined."""
    with zipfile.ZipFile(path) as package:
        return "".join(
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.startswith(f"word/{prefix}")
        )


def template_without(tmp_path: Path, *style_names: str) -> Path:
    """Save a python-docx document whose styles part lacks ``style_names``."""
    doc = docx.Document()
    for name in style_names:
        element = doc.styles[name].element
        element.getparent().remove(element)
    path = tmp_path / "bare.docx"
    doc.save(str(path))
    return path


# -- the Word document -----------------------------------------------------------------------


def test_write_docx_returns_the_path_it_wrote(tmp_path):
    path = write_docx(make_briefing(), tmp_path / "out.docx")

    assert path == tmp_path / "out.docx"
    assert zipfile.is_zipfile(path)


def test_docx_opens_with_title_date_and_coverage(tmp_path):
    doc = written(tmp_path)

    assert doc.paragraphs[0].text == "Budget briefing"
    assert doc.paragraphs[0].style.name == "Title"
    meta = doc.paragraphs[1].text
    assert "12 March 2025" in meta
    assert "3 articles from 2 sources, 2025-03-11 to 2025-03-12" in meta


def test_docx_has_a_heading_per_section_in_order_then_sources(tmp_path):
    doc = written(tmp_path)

    assert texts_in(doc, "Heading 1") == ["Key points", "Disagreements", "Next steps", "Sources"]


def test_docx_bullets_end_with_their_citations(tmp_path):
    doc = written(tmp_path)

    assert texts_in(doc, BULLET_STYLE) == [
        "Parliament passed the 2025 budget by 312 votes to 290. [1, 2]",
        "The deficit target was cut to 2.9% of GDP. [2]",
        "Opposition leaders said the spending cuts fall hardest on regions. [3]",
        "The upper house will vote on the bill next Thursday. [1]",
    ]


def test_docx_bullet_without_citations_has_no_brackets(tmp_path):
    briefing = make_briefing((make_section("key_points", make_item("Uncited.", citations=())),))

    assert texts_in(written(tmp_path, briefing), BULLET_STYLE) == ["Uncited."]


def test_docx_lists_sources_numbered_with_title_outlet_date_and_location(tmp_path):
    doc = written(tmp_path)

    assert texts_in(doc, "Source Entry") == [
        "[1]\tBudget agreed after late-night talks. Example News, 2025-03-12. "
        "news.example.com/…",
        "[2]\tDeficit target lowered. Daily Ledger, 2025-03-11. ledger-deficit.html",
        "[3]\tRegions push back on cuts. Daily Ledger, 2025-03-12. ledger-regions.txt",
    ]


def test_docx_source_url_is_a_clickable_link(tmp_path):
    doc = written(tmp_path)

    source = next(p for p in doc.paragraphs if p.style.name == "Source Entry")
    assert [link.url for link in source.hyperlinks] == ["https://news.example.com/budget"]
    assert [link.text for link in source.hyperlinks] == ["news.example.com/…"]  # one line


def test_a_source_link_shows_its_site_and_a_mail_address_whole():
    assert short_link("https://www.sfgate.com/news/article/7-key-questions.php") == "sfgate.com/…"
    assert short_link("https://example.org/") == "example.org"
    assert short_link("mailto:desk@example.org") == "mailto:desk@example.org"


def test_docx_leaves_out_empty_sections(tmp_path):
    briefing = make_briefing(
        (
            make_section("outcomes"),
            make_section("context", "Background sentence."),
            make_section("next_steps", make_item("   ")),
        )
    )

    assert texts_in(written(tmp_path, briefing), "Heading 1") == ["Context", "Sources"]


def test_docx_notes_skipped_files_at_the_end(tmp_path):
    briefing = make_briefing(skipped=(make_skipped("in/a.pdf", "no text found"),))
    doc = written(tmp_path, briefing)

    assert doc.paragraphs[-2].text == "Not included"
    assert doc.paragraphs[-1].text == "no text found: a.pdf"


def test_skipped_files_take_a_line_per_reason_named_by_file_name(tmp_path):
    skipped = (
        make_skipped("in/it.html", "not in English: 'Il consiglio comunale'"),
        make_skipped("in/pt.html", "not in English: 'A prefeitura anunciou'"),
        make_skipped("in/scan.pdf", "no text layer (a scanned PDF?)"),
    )
    doc = written(tmp_path, make_briefing(skipped=skipped))
    assert [p.text for p in doc.paragraphs[-2:]] == [
        "not in English: it.html, pt.html",
        "no text layer (a scanned PDF?): scan.pdf",
    ]


def test_docx_has_no_skipped_note_when_nothing_was_skipped(tmp_path):
    doc = written(tmp_path)

    assert "Not included" not in [p.text for p in doc.paragraphs]


def test_docx_sets_core_properties(tmp_path):
    generated = dt.datetime(2025, 3, 12, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    props = written(tmp_path, make_briefing(generated=generated)).core_properties

    assert props.title == "Budget briefing"
    assert props.subject == "Briefing"
    assert props.author == "briefing"
    assert props.last_modified_by == "briefing"
    assert props.created.replace(tzinfo=None) == dt.datetime(2025, 3, 12, 9, 30)


def test_docx_footer_numbers_pages_and_header_shows_the_title(tmp_path):
    path = write_docx(make_briefing(title="Energy brief"), tmp_path / "brief.docx")

    footer = part_xml(path, "footer")
    assert "PAGE" in footer
    assert "NUMPAGES" in footer
    header = part_xml(path, "header")
    assert "TITLE" in header
    assert "Energy brief" in header  # the field's cached text, shown until it is updated


def test_docx_strips_characters_xml_forbids(tmp_path):
    dirty = "Bad\x00 te\x0bxt\x1f here\ud800.\ufffe"
    briefing = make_briefing(
        (make_section("key_points", make_item(dirty)),),
        sources=(make_source(title="Ti\x07tle", source="Out\x1blet"),),
        title="Brief\x08ing",
        skipped=(make_skipped("bad\x01.pdf", "broken\x0c file"),),
    )
    doc = written(tmp_path, briefing)

    assert texts_in(doc, BULLET_STYLE) == ["Bad text here. [1]"]
    assert doc.paragraphs[0].text == "Briefing"
    assert texts_in(doc, "Source Entry")[0].startswith("[1]\tTitle. Outlet, ")
    assert doc.paragraphs[-1].text == "broken file: bad.pdf"
    assert doc.core_properties.title == "Briefing"


def test_docx_keeps_a_title_longer_than_core_properties_allow(tmp_path):
    doc = written(tmp_path, make_briefing(title="Long " * 80))

    assert doc.paragraphs[0].text == ("Long " * 80).strip()
    assert len(doc.core_properties.title) == 255


# -- templates -------------------------------------------------------------------------------


def test_default_template_is_a_packaged_docx_with_the_briefing_styles():
    template = default_template()

    assert template.name == "briefing.docx"
    names = {style.name for style in docx.Document(str(template)).styles}
    assert {"Title", "Heading 1", "List Bullet", "Source Entry", "Citation"} <= names


def test_custom_template_is_used_with_body_cleared_and_header_kept(tmp_path):
    custom = docx.Document()
    custom.styles["Normal"].font.name = "Georgia"
    custom.add_paragraph("Template placeholder text")
    custom.add_table(rows=1, cols=1)
    custom.sections[0].header.paragraphs[0].text = "ACME Corp - internal"
    template = tmp_path / "custom.docx"
    custom.save(str(template))

    doc = written(tmp_path, template=template)

    assert doc.styles["Normal"].font.name == "Georgia"
    assert "Template placeholder text" not in [p.text for p in doc.paragraphs]
    assert doc.tables == []
    assert doc.sections[0].header.paragraphs[0].text == "ACME Corp - internal"
    assert doc.paragraphs[0].text == "Budget briefing"


def test_template_missing_the_styles_falls_back_to_plain_paragraphs(tmp_path):
    template = template_without(tmp_path, "Title", "Heading 1", "List Bullet", "List Paragraph")

    doc = written(tmp_path, template=template)

    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Budget briefing"
    assert doc.paragraphs[0].runs[0].bold
    assert "Key points" in texts
    assert "\u2022 The deficit target was cut to 2.9% of GDP. [2]" in texts


def test_dotx_template_is_accepted(tmp_path):
    template = tmp_path / "house.dotx"
    shutil.copy(default_template(), template)
    with zipfile.ZipFile(default_template()) as src, zipfile.ZipFile(template, "w") as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"document.main+xml", b"template.main+xml")
            dst.writestr(info, blob)

    assert written(tmp_path, template=template).paragraphs[0].text == "Budget briefing"


def test_template_that_is_not_a_docx_raises_template_error(tmp_path):
    template = tmp_path / "notes.docx"
    template.write_text("just some text")

    with pytest.raises(TemplateError, match=r"notes\.docx"):
        write_docx(make_briefing(), tmp_path / "out.docx", template=template)
    assert not (tmp_path / "out.docx").exists()


def test_zip_that_is_not_a_word_file_raises_template_error(tmp_path):
    template = tmp_path / "archive.docx"
    with zipfile.ZipFile(template, "w") as package:
        package.writestr("hello.txt", "hi")

    with pytest.raises(TemplateError, match=r"archive\.docx"):
        write_docx(make_briefing(), tmp_path / "out.docx", template=template)


def test_missing_template_raises_template_error(tmp_path):
    with pytest.raises(TemplateError, match="does not exist"):
        write_docx(make_briefing(), tmp_path / "out.docx", template=tmp_path / "nope.docx")


# -- atomic writes ---------------------------------------------------------------------------


def test_failed_save_leaves_existing_file_untouched_and_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "brief.docx"
    target.write_bytes(b"previous briefing")

    def half_save(self: Document, stream: IO[bytes]) -> None:
        stream.write(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(docx.document.Document, "save", half_save)

    with pytest.raises(OutputError, match=r"brief\.docx.*No space left"):
        write_docx(make_briefing(), target)
    assert target.read_bytes() == b"previous briefing"
    assert os.listdir(tmp_path) == ["brief.docx"]


def test_unexpected_error_while_saving_removes_temp_file_and_propagates(tmp_path, monkeypatch):
    def broken_save(self: Document, stream: IO[bytes]) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(docx.document.Document, "save", broken_save)

    with pytest.raises(RuntimeError, match="bug"):
        write_docx(make_briefing(), tmp_path / "brief.docx")
    assert os.listdir(tmp_path) == []


def test_writing_into_a_missing_folder_raises_output_error_naming_the_path(tmp_path):
    target = tmp_path / "missing" / "brief.docx"

    with pytest.raises(OutputError, match=str(target)):
        write_docx(make_briefing(), target)


# -- Markdown and dict -----------------------------------------------------------------------


def test_markdown_has_title_date_coverage_sections_and_numbered_sources():
    briefing = make_briefing(skipped=(make_skipped("in/a.pdf", "no text found"),))

    assert to_markdown(briefing) == (
        "# Budget briefing\n"
        "\n"
        "12 March 2025  \n"
        "Based on 3 articles from 2 sources, 2025-03-11 to 2025-03-12.\n"
        "\n"
        "## Key points\n"
        "\n"
        "- Parliament passed the 2025 budget by 312 votes to 290. [1, 2]\n"
        "- The deficit target was cut to 2.9% of GDP. [2]\n"
        "\n"
        "## Disagreements\n"
        "\n"
        "- Opposition leaders said the spending cuts fall hardest on regions. [3]\n"
        "\n"
        "## Next steps\n"
        "\n"
        "- The upper house will vote on the bill next Thursday. [1]\n"
        "\n"
        "## Sources\n"
        "\n"
        "1. Budget agreed after late-night talks. Example News, 2025-03-12. "
        "[news.example.com/…](https://news.example.com/budget)\n"
        "2. Deficit target lowered. Daily Ledger, 2025-03-11. ledger-deficit.html\n"
        "3. Regions push back on cuts. Daily Ledger, 2025-03-12. ledger-regions.txt\n"
        "\n"
        "## Not included\n"
        "\n"
        "- no text found: a.pdf\n"
        "\n"
        "<!-- made by briefing -->\n"
    )


def test_markdown_keeps_each_bullet_on_one_line():
    briefing = make_briefing((make_section("context", "Line one\nline two\x00."),))

    assert "- Line one line two. [1]\n" in to_markdown(briefing)


def test_dict_holds_every_field_and_survives_json():
    briefing = make_briefing(
        skipped=(make_skipped("in/a.pdf", "no text found"),), files_read=4, method="lexrank"
    )

    data = json.loads(json.dumps(to_dict(briefing), allow_nan=False))

    assert data["title"] == "Budget briefing"
    assert data["date"] == "2025-03-12"
    assert data["generated"] == "2025-03-12T09:30:00+00:00"
    assert data["coverage"] == "3 articles from 2 sources, 2025-03-11 to 2025-03-12"
    assert data["method"] == "lexrank"
    assert data["files_read"] == 4
    assert [s["kind"] for s in data["sections"]] == ["key_points", "disagreements", "next_steps"]
    assert data["sections"][0]["title"] == "Key points"
    assert data["sections"][0]["items"][0] == {
        "text": "Parliament passed the 2025 budget by 312 votes to 290.",
        "citations": [1, 2],
        "label": "outcome",
        "confidence": 0.8,
        "score": 0.9,
        "why": "says what was decided",
    }
    assert data["sources"][1] == {
        "number": 2,
        "title": "Deficit target lowered",
        "source": "Daily Ledger",
        "published": "2025-03-11",
        "location": "articles/ledger-deficit.html",
    }
    assert data["skipped"] == [{"path": "in/a.pdf", "reason": "no text found"}]


def test_source_title_ending_in_a_question_mark_gets_no_extra_full_stop():
    briefing = make_briefing(sources=(make_source(title="Will it pass?", location=""),))

    assert "1. Will it pass? Example News, 2025-03-12.\n" in to_markdown(briefing)


def test_dict_turns_undated_sources_and_nan_scores_into_null():
    briefing = make_briefing(
        (make_section("context", make_item("x", score=float("nan"))),),
        sources=(make_source(published=None),),
    )

    data = to_dict(briefing)

    assert data["sources"][0]["published"] is None
    assert data["sections"][0]["items"][0]["score"] is None


def test_dict_and_markdown_match_the_models_methods():
    briefing = make_briefing()

    assert briefing.to_dict() == to_dict(briefing)
    assert briefing.to_markdown() == to_markdown(briefing)


# -- LibreOffice -----------------------------------------------------------------------------

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_the_docx_to_a_pdf(tmp_path):
    source = write_docx(make_briefing(), tmp_path / "brief.docx")
    profile = (tmp_path / "profile").as_uri()  # own profile: safe beside other soffice runs

    subprocess.run(
        [
            OFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )

    pdf = tmp_path / "brief.pdf"
    assert pdf.is_file()
    assert pdf.stat().st_size > 1000
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_brief_of_several_stories_has_an_executive_summary_and_a_part_per_story(tmp_path):
    from builders import make_story

    stories = (
        make_story("Budget agreed after all-night talks", sources=(1, 2)),
        make_story(
            "Port strike ends",
            make_section("next_steps", make_item("Talks resume on Monday.", citations=(3,))),
            sources=(3,),
            status="new",
        ),
    )
    briefing = make_briefing(stories=stories)
    document = docx.Document(str(write_docx(briefing, tmp_path / "b.docx")))
    texts = [(p.style.name, p.text) for p in document.paragraphs]
    headings = [t for style, t in texts if style == "Heading 1"]
    assert headings[:3] == ["Executive summary", "Budget agreed after all-night talks", "Port strike ends"]
    assert ("List Bullet", "Budget agreed after all-night talks (2 sources) [1, 2]") in texts
    assert ("List Bullet", "Port strike ends (new) [3]") in texts
    assert ("Heading 2", "Next steps") in texts
    markdown = to_markdown(briefing)
    assert "## Executive summary" in markdown and "### Next steps" in markdown
    data = to_dict(briefing)
    assert [s["headline"] for s in data["stories"]] == [s.headline for s in stories]
    assert data["stories"][1]["status"] == "new"


def test_the_executive_summary_gives_each_storys_bottom_line_and_its_part_the_rest(tmp_path):
    from dataclasses import replace

    from builders import make_story

    deal = make_item("Ministers agreed a £4bn budget after all-night talks.", citations=(1, 2))
    vote = make_item("The upper house votes on the bill next Thursday.", citations=(2,),
                     label="next_step", score=0.5)  # fmt: skip
    strike = make_item("Dockers ended their 11-day strike on Monday.", citations=(3,))
    budget = replace(
        make_story("Budget agreed", make_section("outcomes", deal),
                   make_section("next_steps", vote), sources=(1, 2)),
        bottom_line=deal,
    )  # fmt: skip
    port = replace(
        make_story("Port strike ends", make_section("outcomes", strike), sources=(3,)),
        bottom_line=strike,
    )
    briefing = make_briefing(stories=(budget, port))
    document = docx.Document(str(write_docx(briefing, tmp_path / "b.docx")))
    texts = [p.text for p in document.paragraphs]
    summary = texts.index("Executive summary")
    assert texts[summary + 1 : summary + 3] == [
        "Ministers agreed a £4bn budget after all-night talks. (2 sources) [1, 2]",
        "Dockers ended their 11-day strike on Monday. [3]",  # dated the day of the brief
    ]
    # Each bottom line is said once; the budget's part keeps its next step, and the strike,
    # all said in the summary, has no part of its own.
    assert texts.count(deal.text + " [1, 2]") == 0 and "Budget agreed" in texts
    assert "The upper house votes on the bill next Thursday. [2; 11 Mar]" in texts
    assert "Port strike ends" not in texts
    markdown = to_markdown(briefing)
    assert "- Ministers agreed a £4bn budget after all-night talks. (2 sources) [1, 2]" in markdown
    assert markdown.count("Dockers ended") == 1 and "## Port strike ends" not in markdown
    assert to_dict(briefing)["stories"][1]["bottom_line"]["text"] == strike.text
    assert read_digest(tmp_path / "b.docx") == digest_of(briefing)


def test_a_brief_of_one_story_that_names_others_keeps_its_headline(tmp_path):
    from dataclasses import replace

    from builders import make_story

    story = make_story("Budget agreed after all-night talks", sources=(1, 2))
    briefing = replace(
        make_briefing(stories=(story,)), also=(make_story("Port strike ends", sources=(3,)),)
    )
    document = docx.Document(str(write_docx(briefing, tmp_path / "b.docx")))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == [
        "Executive summary",
        "Budget agreed after all-night talks",
        "Also reported",
    ]
    markdown = to_markdown(briefing)
    assert "## Budget agreed after all-night talks" in markdown
    assert "- Port strike ends [3]" in markdown


def test_stories_too_many_to_name_are_counted_under_also_reported(tmp_path):
    from dataclasses import replace

    from builders import make_story

    story = make_story("Budget agreed after all-night talks", sources=(1, 2))
    briefing = replace(
        make_briefing(stories=(story,)),
        also=(make_story("Port strike ends", sources=(3,)),),
        left_out=4,
    )
    document = docx.Document(str(write_docx(briefing, tmp_path / "b.docx")))
    texts = [p.text for p in document.paragraphs]
    named = texts.index("Also reported")
    assert texts[named + 1 : named + 3] == ["Port strike ends [3]", "4 more stories, not named here."]
    assert "- 4 more stories, not named here." in to_markdown(briefing)
    assert to_dict(briefing)["left_out"] == 4
    assert read_digest(tmp_path / "b.docx") == digest_of(briefing)


def _pdf_pages(docx: Path, tmp_path: Path) -> int:
    """Convert ``docx`` with LibreOffice and return how many pages the PDF has."""
    from pypdf import PdfReader

    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [OFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return len(PdfReader(tmp_path / f"{docx.stem}.pdf").pages)


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_morning_of_fifty_real_articles_fits_two_pages_with_the_defaults(shared, tmp_path):
    """30 saved news pages and 20 wire articles saved as text without headlines."""
    import json
    import random

    folder = tmp_path / "morning"
    folder.mkdir()
    extraction = shared / "data" / "extraction"
    with (extraction / "ground_truth.jsonl").open(encoding="utf-8") as handle:
        pages = [json.loads(line) for line in handle]
    rng = random.Random(5)
    for row in rng.sample(pages, 32):
        shutil.copyfile(extraction / row["html_file"], folder / f"{row['id'][:10]}.html")
    with (shared / "data" / "multidoc_dev.jsonl").open(encoding="utf-8") as handle:
        topics = [json.loads(line) for line in handle]
    for topic in rng.sample(topics, 4):
        for doc in rng.sample(topic["docs"], 5):
            (folder / f"{doc['docno']}.txt").write_text(doc["text"], encoding="utf-8")
    from briefing import build

    brief = build(folder)
    assert brief.articles_read >= 48
    assert _pdf_pages(write_docx(brief, tmp_path / "brief.docx"), tmp_path) <= 2


def test_a_bullet_naming_a_weekday_shows_its_articles_date_beside_the_citation():
    from builders import make_source

    dated = make_briefing(
        (
            make_section(
                "outcomes",
                make_item("Ministers agreed the budget on Friday after talks.", citations=(1,)),
                make_item("The budget runs to 2030.", citations=(1,)),
            ),
        ),
        sources=(make_source(1, published=dt.date(2025, 3, 14)),),
        date=dt.date(2025, 3, 20),
    )
    text = to_markdown(dated)
    assert "after talks. [1; 14 Mar]" in text  # which Friday: the article's
    assert "runs to 2030. [1]" in text  # no day named, no date
    # Wire copy of another year: "Wednesday" of 3 Nov 1999, not of this November.
    older = replace(dated, sources=(make_source(1, published=dt.date(1999, 11, 3)),))
    assert "after talks. [1; 3 Nov 1999]" in to_markdown(older)


def test_raw_html_from_an_article_reaches_markdown_as_text():
    hostile = make_briefing(
        (
            make_section(
                "outcomes",
                make_item('The council voted <script>alert(1)</script> and <img src=x onerror="steal()"> today.'),
            ),
        )
    )
    text = to_markdown(hostile)
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_a_write_removes_the_temp_files_a_killed_write_left_behind(tmp_path):
    target = tmp_path / "brief.docx"
    stale = tmp_path / ".brief.docx.abc123.tmp"
    stale.write_bytes(b"half a zip")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    fresh = tmp_path / ".brief.docx.def456.tmp"  # a write under way in another run
    fresh.write_bytes(b"being written")
    other = tmp_path / ".notes.txt.xyz.tmp"  # not this output's
    other.write_bytes(b"")
    os.utime(other, (old, old))
    write_docx(make_briefing(), target)
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["brief.docx", ".brief.docx.def456.tmp", ".notes.txt.xyz.tmp"]
    )
