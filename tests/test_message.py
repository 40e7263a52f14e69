"""What the e-mail of a briefing says: its digest, subject, HTML and text bodies."""

from __future__ import annotations

import docx
import pytest
from builders import make_briefing, make_item, make_section, make_source, make_story

from briefing.config import EmailConfig
from briefing.errors import InputError
from briefing.mail.message import build_message, digest_of, read_digest, render_html, render_subject
from briefing.render import write_docx


def test_the_email_summary_is_the_key_points_and_the_coverage_line(tmp_path):
    briefing = make_briefing()
    message = build_message(
        digest_of(briefing),
        write_docx(briefing, tmp_path / "b.docx"),
        EmailConfig(sender="brief@example.com", to=("a@example.com",),
                    subject="Morning brief, {date}: {top_story}"),
    )  # fmt: skip
    assert message["Subject"] == (
        "Morning brief, 2025-03-12: Parliament passed the 2025 budget by 312 votes to 290."
    )
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    key_points = html.index("Key points")
    assert key_points < html.index("Parliament passed") < html.index("Disagreements")
    assert "3 articles from 2 sources, 2025-03-11 to 2025-03-12" in html
    assert "KEY POINTS\n- Parliament passed the 2025 budget by 312 votes to 290. [1, 2]" in text
    assert "[3] Regions push back on cuts." in text


def test_the_digest_read_back_from_a_docx_matches_the_briefing(tmp_path):
    briefing = make_briefing()
    digest = read_digest(write_docx(briefing, tmp_path / "b.docx"))
    assert digest == digest_of(briefing)


def test_a_brief_of_several_stories_leads_with_their_headlines_as_in_the_docx(tmp_path):
    steel = make_story(
        "Steel deal saves the plant",
        make_section("key_points", make_item("The furnace will be rebuilt.", citations=(1,))),
        sources=(1, 2),
    )
    port = make_story(
        "Dockers end their strike",
        make_section("outcomes", make_item("Work resumes on Wednesday.", citations=(3,))),
        sources=(3,),
    )
    briefing = make_briefing(stories=(steel, port))
    digest = digest_of(briefing)
    assert digest.summary.title == "Executive summary"
    assert [b.text for b in digest.summary.bullets] == [
        "Steel deal saves the plant (2 sources)",
        "Dockers end their strike",
    ]
    assert read_digest(write_docx(briefing, tmp_path / "b.docx")) == digest
    mail = EmailConfig(sender="b@example.com", to=("a@example.com",), subject="{top_story}")
    message = build_message(digest, tmp_path / "b.docx", mail)
    assert message["Subject"] == "Steel deal saves the plant"
    html = message.get_body(("html",)).get_content()
    assert html.index("Executive summary") < html.index("Dockers end their strike")
    assert "<h3" in html and "The furnace will be rebuilt." in html


def test_a_subject_template_with_crlf_is_flattened_to_one_line():
    digest = digest_of(make_briefing())
    assert "\n" not in render_subject("Brief\r\nBcc: evil@example.com {date}", digest)


SERVER_PATHS = (
    "/srv/briefing/inbox/hollin-water-sewage-ruling.txt",
    "/srv/briefing/News Archive/rent cap bill.txt",
    "C:\\briefing\\inbox\\steel-deal.md",
)


def briefing_citing_server_files():
    sources = tuple(
        make_source(n, title=f"Story {n}", source="" if n == 1 else "Carrick Ledger", location=p)
        for n, p in enumerate(SERVER_PATHS, start=1)
    )
    url = "https://news.example.com/budget"
    return make_briefing(sources=(*sources, make_source(4, title="Story 4", location=url)))


def assert_names_files_not_folders(lines):
    assert lines == (
        "[1] Story 1. 2025-03-12. hollin-water-sewage-ruling.txt",
        "[2] Story 2. Carrick Ledger, 2025-03-12. rent cap bill.txt",
        "[3] Story 3. Carrick Ledger, 2025-03-12. steel-deal.md",
        "[4] Story 4. Example News, 2025-03-12. https://news.example.com/budget",
    )


@pytest.mark.parametrize("made_from", ["briefing", "docx"])
def test_the_email_names_a_source_file_by_its_name_never_its_folder_on_the_server(
    tmp_path, made_from
):
    briefing = briefing_citing_server_files()
    brief = write_docx(briefing, tmp_path / "b.docx")
    digest = digest_of(briefing) if made_from == "briefing" else read_digest(brief)
    assert_names_files_not_folders(digest.sources)
    mail = EmailConfig(sender="b@example.com", to=("a@example.com",))
    message = build_message(digest, brief, mail)
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    for body in (html, text):
        assert "/srv/" not in body and "News Archive" not in body and "C:" not in body
        assert "hollin-water-sewage-ruling.txt" in body and "rent cap bill.txt" in body
        assert "https://news.example.com/budget" in body
    assert "<li>[1] Story 1. 2025-03-12. hollin-water-sewage-ruling.txt</li>" in html


def test_a_sources_entry_edited_into_one_run_still_loses_its_folders(tmp_path):
    brief = write_docx(briefing_citing_server_files(), tmp_path / "b.docx")
    document = docx.Document(str(brief))
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("[1]\t"):
            paragraph.text = paragraph.text  # one run, as an edit in Word may leave it
    document.save(str(brief))
    assert read_digest(brief).sources[0] == (
        "[1] Story 1. 2025-03-12. hollin-water-sewage-ruling.txt"
    )


def test_a_brief_of_one_story_keeps_the_docx_order_with_the_lead_section_first(tmp_path):
    sections = (
        make_section("outcomes", make_item("The court ruled the spills unlawful.")),
        make_section("key_points", make_item("The judge found 212 breaches of permits.")),
        make_section("disagreements", make_item("The company rejected the monitors' data.")),
    )
    briefing = make_briefing(sections)
    digest = digest_of(briefing)
    assert digest.summary is not None and digest.summary.title == "Outcomes"
    assert [s.title for s in digest.sections] == ["Key points", "Disagreements"]
    assert digest.lead == "The court ruled the spills unlawful."
    assert read_digest(write_docx(briefing, tmp_path / "b.docx")) == digest


def test_a_word_file_that_is_not_a_briefing_is_refused_not_mailed(tmp_path):
    path = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_paragraph("Dear Sir, please find my notes below.")
    document.save(str(path))
    with pytest.raises(InputError, match="not a briefing"):
        read_digest(path)


def test_a_source_web_address_is_a_link_in_the_html_and_nothing_else_is():
    sources = (
        make_source(1, title="Budget agreed", location="https://news.example.com/budget?a=1&b=2"),
        make_source(2, title="Deficit target", location="javascript:alert(1)"),
    )
    html_body = render_html(digest_of(make_briefing(sources=sources)), "b.docx")
    link = "https://news.example.com/budget?a=1&amp;b=2"
    assert f'<a href="{link}">{link}</a>' in html_body
    assert "javascript:alert(1)</li>" in html_body and 'href="javascript' not in html_body


def test_a_direction_mark_in_a_file_name_or_title_never_reaches_the_email(tmp_path):
    # U+202E would show "report\u202etxt.exe" as "reportexe.txt".
    briefing = make_briefing(
        title="Morning \u202ebrief",
        sources=(make_source(1, title="Rates \u2066held\u2069", location="/in/report\u202etxt.exe"),),
    )
    brief = write_docx(briefing, tmp_path / "brief\u202excod.docx")
    mail = EmailConfig(sender="b@example.com", to=("a@example.com",), subject="{title}")
    message = build_message(digest_of(briefing), brief, mail)
    raw = message.as_string()
    for part in message.walk():
        shown = part.get_content() if part.get_content_maintype() == "text" else ""
        assert not any(mark in shown for mark in "\u202e\u2066\u2069")
    assert message["Subject"] == "Morning brief"
    assert message.get_body(("html",)).get_content().count("reporttxt.exe") == 1
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "briefxcod.docx"
    assert "\u202e" not in raw
