"""Loading files and folders: formats, encodings, and a clear reason for every bad file."""

from __future__ import annotations

import datetime as dt
import importlib
import os
from pathlib import Path

import pytest

from briefing.errors import InputError
from briefing.load import load_file, load_paths, parse_date, split_front_matter

BODY = (
    "The city council approved the new tram line on Tuesday by 34 votes to 21.\n\n"
    "Opposition councillors said the cost estimate was far too low.\n\n"
    "Construction is expected to begin next spring.\n"
)


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode(encoding)
    path.write_bytes(content)
    return path


def test_load_reads_markdown_front_matter(tmp_path):
    md = "---\ntitle: Council backs tram line\nsource: The Example Star\ndate: 2026-11-20\n"
    md += "url: https://star.example/tram\n---\n\n# Council backs tram line\n\n" + BODY
    (article,) = load_file(write(tmp_path / "tram.md", md))
    assert article.title == "Council backs tram line"
    assert article.source == "The Example Star"
    assert article.date == dt.date(2026, 11, 20)
    assert article.url == "https://star.example/tram"
    assert article.text.splitlines()[0].startswith("The city council approved")
    assert "# " not in article.text


def test_load_takes_markdown_title_from_first_heading_without_front_matter(tmp_path):
    md = "# Council backs *tram* line\n\n" + BODY + "\n- Work starts next spring, officials said.\n"
    (article,) = load_file(write(tmp_path / "tram.md", md))
    assert article.title == "Council backs tram line"
    assert article.source == ""
    assert article.text.splitlines()[-1] == "Work starts next spring, officials said."


def test_load_strips_inline_markdown_but_keeps_link_text(tmp_path):
    md = "# Title here\n\nThe **council** approved the [tram line](https://x.example) on Tuesday.\n"
    md += "\n![a photo](tram.jpg)\n\nOpponents said it was _far_ too costly for the town.\n"
    (article,) = load_file(write(tmp_path / "a.md", md))
    assert article.text.splitlines() == [
        "The council approved the tram line on Tuesday.",
        "Opponents said it was far too costly for the town.",
    ]


def test_an_item_of_a_list_is_never_the_headline_of_a_text_file(tmp_path):
    # Wire copy of a list: its longest line is an item, not the headline.
    items = "\n\n".join(
        f"-- {thing} from the {year} season, ${price:,}"
        for thing, year, price in (("Trophy", 1973, 1700), ("Jersey worn in the final", 1968, 4500))
    )
    text = "Some of the items sold at the auction of the club's belongings:\n\n" + items
    text += "\n\nThe sale raised $300,000 for the youth teams, the auctioneer said on Sunday."
    (article,) = load_file(write(tmp_path / "list.txt", text))
    assert article.title == "Some of the items sold at the auction of the club's belongings"


@pytest.mark.parametrize(
    "above",
    ["-----\nCouncil backs tram line after long debate\n-----", "* Home\n* World\n* Business\n\nCouncil backs tram line after long debate"],
    ids=["ruled-lines", "menu"],
)
def test_a_rule_or_a_menu_above_the_headline_of_a_text_file_is_not_its_end(tmp_path, above):
    (article,) = load_file(write(tmp_path / "page.txt", above + "\n\n" + BODY))
    assert article.title == "Council backs tram line after long debate"


def test_a_text_files_headline_loses_the_wire_dateline_it_opens_with(tmp_path):
    text = "CANBERRA, March 27 (Xinhua) -- Following are major items in today's newspapers:\n\n"
    text += "-- The government will raise the pension age, The Australian reported.\n\n" + BODY
    (article,) = load_file(write(tmp_path / "digest.txt", text))
    assert article.title == "Following are major items in today's newspapers"


def test_a_headline_in_capitals_keeps_the_label_that_opens_it(tmp_path):
    # "GLOBAL WARMING:" reads like "NEW DELHI:", but a dateline opens a story, not a headline.
    text = "GLOBAL WARMING: THE CONTRARIAN VIEW\n\n" + BODY
    (article,) = load_file(write(tmp_path / "view.txt", text))
    assert article.title.casefold() == "global warming: the contrarian view"


@pytest.mark.parametrize(
    ("top", "title", "day"),
    [
        ("MPs to back tram 'within weeks'\n\n", "MPs to back tram 'within weeks'", None),
        ("Tram line “a waste”\n\nMonday 23 November 2026\n\n", "Tram line “a waste”",
         dt.date(2026, 11, 23)),
        ("MPs to back tram 'within weeks'\n\nBy Political Staff, The Westminster Ledger, "
         "November 24, 2026\n\n", "MPs to back tram 'within weeks'", dt.date(2026, 11, 24)),
        ("Tram line\n\nWestminster Ledger political desk, 24 November 2026\n\n", "Tram line",
         dt.date(2026, 11, 24)),
    ],
)  # fmt: skip
def test_a_headline_that_ends_in_a_quotation_or_sits_above_a_long_date_line_is_the_title(
    tmp_path, top, title, day
):
    (article,) = load_file(write(tmp_path / "page.txt", top + BODY))
    assert (article.title, article.published) == (title, day)
    assert article.text.splitlines()[0] == BODY.split("\n", maxsplit=1)[0]


def test_a_headline_ending_in_an_abbreviation_is_the_title_and_a_note_to_editors_is_not(
    tmp_path,
):
    (article,) = load_file(write(tmp_path / "nj.txt", "Tram Line Backed in N.J.\n\n" + BODY))
    assert article.title == "Tram Line Backed in N.J."
    assert article.text.splitlines()[0] == BODY.split("\n", maxsplit=1)[0]
    # A sentence that ends on one is still a sentence: no capitals through it.
    text = "The council approved the tram after talks in the U.S.\n\n" + BODY
    (article,) = load_file(write(tmp_path / "us.txt", text))
    assert article.text.splitlines()[0] == "The council approved the tram after talks in the U.S."
    # The wire's note to its editors is no headline and no part of the story.
    text = "EDS: ADDS background, details on bill, quotes throughout; ADDS\n\n" + BODY
    (article,) = load_file(write(tmp_path / "eds.txt", text))
    assert "EDS" not in article.title and "EDS" not in article.text
    assert article.text.splitlines()[0] == BODY.split("\n", maxsplit=1)[0]


@pytest.mark.parametrize("width", [60, 70, 80])
def test_a_hard_wrapped_text_keeps_its_headline_and_its_whole_lead(tmp_path, width):
    import textwrap

    paragraphs = [
        "The rail regulator fined Midland Express £6.5m on Friday over the timetable chaos "
        "that left thousands of commuters stranded across the region in May.",
        "The Office of Rail and Road said the operator had failed to plan for the new "
        "timetable, which saw hundreds of trains cancelled every day for six weeks.",
        "Midland Express said it accepted the findings and apologised again to passengers, "
        "adding that punctuality had since returned to normal on most routes.",
    ]
    wrapped = "\n\n".join(textwrap.fill(p, width) for p in paragraphs)
    (article,) = load_file(write(tmp_path / "rail.txt", "Rail operator fined over chaos\n\n" + wrapped))
    assert article.title == "Rail operator fined over chaos"
    assert article.text.splitlines() == paragraphs


@pytest.mark.parametrize(
    "dateline", ["LONDON, November 27, 2026 - ", "LONDON, Nov 27, 2026 (AP) -- ", "LONDON, 27 November 2026 \u2014 "]
)
def test_a_dateline_that_opens_the_lead_gives_its_day_and_leaves_the_bullet(tmp_path, dateline):
    (article,) = load_file(write(tmp_path / "rail.txt", "Tram line backed\n\n" + dateline + BODY))
    assert article.published == dt.date(2026, 11, 27)
    assert article.text.splitlines()[0] == BODY.split("\n", maxsplit=1)[0]


def test_a_sentence_that_ends_in_a_quotation_is_no_headline(tmp_path):
    text = 'The mayor called the tram plan "a waste of money."\n\n' + BODY
    (article,) = load_file(write(tmp_path / "page.txt", text))
    assert article.text.splitlines()[0] == 'The mayor called the tram plan "a waste of money."'


def test_load_takes_the_headline_not_the_section_name_from_a_saved_page(tmp_path):
    page = "Business\n\nBusiness\n\nCouncil backs tram line after long debate\n\n"
    page += "Council backs tram line after long debate\n\n" + BODY
    (article,) = load_file(write(tmp_path / "page.txt", page))
    assert article.title == "Council backs tram line after long debate"
    assert "Business" not in article.text


def test_load_reads_the_date_of_a_saved_page_from_its_dateline(tmp_path):
    page = "Council backs tram line\nWednesday 18 November 2026\n\n" + BODY
    (article,) = load_file(write(tmp_path / "page.txt", page))
    assert article.date == dt.date(2026, 11, 18)
    assert "November" not in article.text


@pytest.mark.parametrize(
    ("name", "day"),
    [
        ("APW19980617.1094.txt", dt.date(1998, 6, 17)),
        ("2019-11-18 tram vote.md", dt.date(2019, 11, 18)),
        ("tram_2026_02_29_20260301.txt", dt.date(2026, 3, 1)),  # no 29 February in 2026
        ("tram-line-19981.txt", None),
        ("120191118.txt", None),
    ],
)
def test_an_article_that_gives_no_date_is_dated_by_the_day_its_file_name_holds(tmp_path, name, day):
    (article,) = load_file(write(tmp_path / name, BODY))
    assert article.published == day


def test_an_articles_own_date_comes_before_the_day_in_its_file_name(tmp_path):
    page = "Council backs tram line\nWednesday 18 November 2026\n\n" + BODY
    (article,) = load_file(write(tmp_path / "2019-01-02 tram.txt", page))
    assert article.published == dt.date(2026, 11, 18)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "cp1252", "utf-32"])
def test_load_decodes_each_supported_encoding(tmp_path, encoding):
    text = "Café owners’ “rent” rise\n\nThe café owners said the £40 rise was unfair to them all.\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    (article,) = load_file(write(tmp_path / "cafe.txt", data))
    assert article.title == "Café owners’ “rent” rise"
    assert article.text == "The café owners said the £40 rise was unfair to them all."


def test_load_walks_folders_recursively_in_sorted_order_and_passes_over_hidden_files(tmp_path):
    write(tmp_path / "b" / "second.txt", "Second story\n\n" + BODY)
    write(tmp_path / "a" / "first.md", "# First story\n\n" + BODY)
    write(tmp_path / ".hidden" / "secret.txt", "Hidden story\n\n" + BODY)
    write(tmp_path / ".notes.txt", "Hidden note\n\n" + BODY)
    result = load_paths([tmp_path])
    assert [a.title for a in result.articles] == ["First story", "Second story"]
    assert result.files_read == 2
    assert result.skipped == ()


def test_load_does_not_follow_a_symlink_loop(tmp_path):
    write(tmp_path / "story.txt", "A story\n\n" + BODY)
    os.symlink(tmp_path, tmp_path / "loop")
    result = load_paths([tmp_path])
    assert [a.title for a in result.articles] == ["A story"]


BAD_FILES = {
    "empty.txt": (b"", "empty file"),
    "blank.md": (b"  \n\n\t\n", "empty file"),
    "binary.txt": (bytes(range(256)) * 8, "binary data"),
    "controls.txt": (b"\x01\x02\x03\x04 text \x05\x06\x07\x08" * 40, "binary data"),
    "undecodable.txt": (b"Caf\x81 \x8d\x8f\x90\x9d owners " * 10, "cannot decode"),
    "furniture.txt": (b"Sign up for our newsletter\n\nAdvertisement\n", "no article text"),
    "image.jpg": (b"\xff\xd8\xff\xe0 not really a jpeg", "unsupported file type '.jpg'"),
    "bad-utf16.txt": (b"\xff\xfeA\x00\x00\xd8", "invalid UTF-16 text"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_load_skips_a_bad_file_with_its_reason_and_keeps_the_good_ones(tmp_path, name):
    data, reason = BAD_FILES[name]
    write(tmp_path / "good.txt", "A good story\n\n" + BODY)
    bad = write(tmp_path / name, data)
    result = load_paths([tmp_path])
    assert [a.title for a in result.articles] == ["A good story"]
    assert len(result.skipped) == 1
    assert result.skipped[0].path == bad
    assert reason in result.skipped[0].reason
    assert str(bad) in str(result.skipped[0])


def test_load_skips_a_file_another_program_is_still_writing(tmp_path, monkeypatch):
    loader = importlib.import_module("briefing.load")  # the module, not briefing.load()
    growing = write(tmp_path / "growing.txt", "A story still being saved\n\n" + BODY)
    real_fstat = os.fstat
    calls = []

    def fstat_while_the_writer_appends(fd: int) -> os.stat_result:
        calls.append(fd)
        if len(calls) == 2:  # the writer adds a paragraph while the file is being read
            with growing.open("ab") as handle:
                handle.write(b"\nA late paragraph arrives as the file is read.\n")
        return real_fstat(fd)

    monkeypatch.setattr(loader.os, "fstat", fstat_while_the_writer_appends)
    with pytest.raises(InputError, match=r"growing\.txt: changed while it was read"):
        load_file(growing)


def test_load_raises_input_error_naming_the_file(tmp_path):
    bad = write(tmp_path / "empty.txt", b"")
    with pytest.raises(InputError, match=r"empty\.txt: empty file"):
        load_file(bad)


def test_load_skips_a_file_over_the_size_limit_without_reading_it(tmp_path):
    big = write(tmp_path / "big.txt", b"x" * 2048)
    result = load_paths([big], max_bytes=1024)
    assert result.articles == ()
    assert result.skipped[0].reason == "file is 2 KB, over the 1 KB limit"


def test_the_folder_a_browser_saves_beside_a_page_is_not_read(tmp_path):
    page = "<html><head><title>Tram line</title></head><body><p>" + BODY + "</p></body></html>"
    write(tmp_path / "in" / "tram.html", page)
    write(tmp_path / "in" / "tram_files" / "ad-frame.html", page.replace("Tram", "Ad"))
    write(tmp_path / "in" / "tram_files" / "analytics.js", "var x = 1;")
    write(tmp_path / "in" / "notes_files" / "notes.txt", BODY)  # no page of that name
    result = load_paths([tmp_path / "in"])
    assert sorted(a.path.name for a in result.articles) == ["notes.txt", "tram.html"]
    assert result.skipped == ()


def test_load_skips_one_endless_line_with_a_clear_reason(tmp_path):
    line = write(tmp_path / "line.txt", b"word " * 1_000_000)
    result = load_paths([line])
    assert result.articles == ()
    assert result.skipped[0].reason == (
        "no article text found: one unbroken paragraph of 5,000,000 characters, "
        "more than prose ever runs to (100,000)"
    )
    furniture = write(tmp_path / "menu.txt", "Home\n\nNews\n\nSport\n")
    (skipped,) = load_paths([furniture]).skipped
    assert skipped.reason == "no article text found (empty after removing page furniture)"


def test_load_removes_control_characters_that_xml_forbids(tmp_path):
    text = "Title\n\nThe council\x07 approved the\x0b plan on Tuesday by a wide margin.\n"
    (article,) = load_file(write(tmp_path / "ctl.txt", text))
    assert article.text == "The council approved the plan on Tuesday by a wide margin."


def test_load_reports_a_missing_path_and_an_unreadable_file(tmp_path, monkeypatch):
    good = write(tmp_path / "good.txt", "A good story\n\n" + BODY)
    locked = write(tmp_path / "locked.txt", "Locked\n\n" + BODY)
    real_open = os.open

    def refuse_locked(path, *args, **kwargs):
        if Path(path) == locked:  # as root, file modes deny nothing: refuse it here
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_locked)
    result = load_paths([good, locked, tmp_path / "missing.txt"])
    assert [a.title for a in result.articles] == ["A good story"]
    reasons = {s.path.name: s.reason for s in result.skipped}
    assert reasons == {"locked.txt": "permission denied", "missing.txt": "no such file or folder"}


def test_split_front_matter_leaves_text_without_it_alone():
    assert split_front_matter("# Title\n\nBody.") == ({}, "# Title\n\nBody.")


@pytest.mark.parametrize(
    "front",
    [
        "---\ntitle: >-\n  Council backs\n  tram line\ndate: 2026-11-20\nsource: 'The Star'\n---\n",
        "---\ntitle: Council backs tram line   # from the CMS\npublished: 2026-11-20T08:15:00Z\n"
        "source: The Star\ntags: [transport, council]\n---\n",
        '+++\ntitle = "Council backs tram line"\ndate = 2026-11-20\nsource = "The Star"\n+++\n',
        "---\ntitle: Council backs tram line\ndate: 20 November 2026\nsource: The Star\n---\n",
    ],
    ids=["yaml-folded", "yaml-comment", "toml", "plain"],
)
def test_markdown_front_matter_is_read_as_the_tool_that_wrote_it_means_it(tmp_path, front):
    (article,) = load_file(write(tmp_path / "a.md", (front + "\n" + BODY).replace("\n", "\r\n")))
    assert (article.title, article.source) == ("Council backs tram line", "The Star")
    assert article.published == dt.date(2026, 11, 20)
    assert article.text.splitlines()[0] == BODY.split("\n", maxsplit=1)[0]


def test_front_matter_that_is_not_quite_yaml_is_read_line_by_line():
    meta, body = split_front_matter("---\ntitle: Bates: the takeover\nsource: Post\n---\nBody.")
    assert meta == {"title": "Bates: the takeover", "source": "Post"} and body == "Body."


def test_a_markdown_title_underlined_and_a_byline_date_are_read(tmp_path):
    text = "Council backs tram line\n=======================\n\n*By Jo Reporter | 20 November 2026*\n\n"
    (article,) = load_file(write(tmp_path / "a.md", text + BODY))
    assert (article.title, article.published) == ("Council backs tram line", dt.date(2026, 11, 20))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-20", dt.date(2026, 11, 20)),
        ("2026-11-20T08:15:00Z", dt.date(2026, 11, 20)),
        ("Fri, 20 Nov 2026 08:15:00 +0000", dt.date(2026, 11, 20)),
        ("20 November 2026", dt.date(2026, 11, 20)),
        ("November 20, 2026", dt.date(2026, 11, 20)),
        ("next Tuesday", None),
        ("", None),
    ],
)
def test_parse_date_reads_the_common_formats(value, expected):
    assert parse_date(value) == expected


def test_an_article_records_the_day_its_file_was_saved(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(
        "Council approves tram line\n\nThe council approved the tram line on Monday after a "
        "long debate, and work is due to start in the spring of next year.\n",
        encoding="utf-8",
    )
    saved = dt.datetime(2026, 11, 20, 9, 30)
    os.utime(path, (saved.timestamp(), saved.timestamp()))
    (article,) = load_file(path)
    assert article.saved == dt.date(2026, 11, 20)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_at_once_though_nothing_writes_to_it(tmp_path):
    import threading

    fifo = tmp_path / "swapped.txt"
    os.mkfifo(fifo)
    outcome: list[str] = []

    def load() -> None:
        try:
            load_file(fifo)
        except InputError as exc:
            outcome.append(exc.reason)

    reader = threading.Thread(target=load, daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "opening the FIFO blocked"
    assert outcome == ["not a regular file"]


PORTUGUESE = (
    "O governo anunciou nesta terça-feira um novo plano para o transporte público da região, "
    "que deve entrar em vigor na próxima primavera, segundo o ministro. Os sindicatos "
    "criticaram uma reforma preparada sem eles e convocaram uma greve para o mês que vem."
)
ENGLISH = (
    "The government announced on Tuesday a new plan for the region's public transport, which "
    "is to come into force next spring, according to the minister. The unions criticised a "
    "reform prepared without them and called a strike for the month to come."
)


def test_plain_english_is_taken_as_english_without_the_identifier(monkeypatch):
    from briefing import words

    def no_identifier(text):
        raise AssertionError("the identifier was asked")

    monkeypatch.setattr(words, "language_of", no_identifier)
    assert words.looks_english(ENGLISH)
    with pytest.raises(AssertionError, match="identifier was asked"):
        words.looks_english(PORTUGUESE)


INDONESIAN = (
    "Pemerintah kota mengumumkan rencana pembangunan jalur kereta baru yang akan menghubungkan "
    "pusat kota dengan bandara. Proyek senilai dua triliun rupiah ini diharapkan selesai dalam "
    "tiga tahun, kata wali kota kepada wartawan pada hari Senin. Warga menyambut baik rencana "
    "tersebut, tetapi sebagian pedagang khawatir usaha mereka terganggu selama pembangunan."
)


def test_a_text_without_english_stop_words_is_foreign_though_the_identifier_is_unsure(
    monkeypatch,
):
    # The identifier was 0.82 sure of an Indonesian page: under FOREIGN_CONFIDENCE, but
    # almost none of its words are English stop words, so the two together tell.
    from briefing import words

    monkeypatch.setattr(words, "language_of", lambda text: ("id", 0.82))
    assert not words.looks_english(INDONESIAN)
    # Unsure, with English stop words among the words: taken for English, as before.
    some_english = INDONESIAN + " The city said the line would open in 2029 and cost more."
    assert words.looks_english(some_english)
    monkeypatch.setattr(words, "language_of", lambda text: ("en", 0.6))
    assert words.looks_english(INDONESIAN)


def test_a_text_in_another_language_is_still_told_apart():
    from briefing.words import looks_english

    assert looks_english(ENGLISH) and not looks_english(PORTUGUESE)
    assert not looks_english(INDONESIAN)  # the identifier is 0.81 sure


_SATELLITE = (
    "SAN DIEGO (AP) _ A satellite a million miles away will study how much energy Earth"
    " absorbs from sunlight and how that affects the climate, scientists said. The craft"
    " will be launched in 2000 aboard a space shuttle, and a team at the university will"
    " lead the research for the space agency over the next five years."
)
_RITALIN = (
    "ANAHEIM, California (AP) _ Behavior in children with attention-deficit disorder"
    " improves dramatically when they take the drug Ritalin, according to a study of 600"
    " children. Critics say doctors are too quick to diagnose the disorder, but the authors"
    " said thousands of children are never treated at all, which worries them far more."
)


@pytest.mark.parametrize("rule", ["\n\n___\n\n", " ___ "], ids=["own-line", "inline"])
def test_a_wire_digest_of_stories_set_apart_by_rules_is_one_article_each(tmp_path, rule):
    # AP's briefs: each story after a rule of underscores, under its headline and dateline;
    # the inline form is what is left when a corpus loses the line breaks.
    head = "\n\n" if rule.startswith("\n") else " "
    text = (
        "Satellite to monitor Earth's climate\n\n" + _SATELLITE + rule
        + "Study shows Ritalin helps children" + head + _RITALIN + "\n"
    )  # fmt: skip
    satellite, ritalin = load_file(write(tmp_path / "digest.txt", text))
    assert satellite.title == "Satellite to monitor Earth's climate"
    assert "Ritalin" not in satellite.text and "___" not in satellite.text
    assert ritalin.title == "Study shows Ritalin helps children"
    assert ritalin.text.startswith("Behavior in children") and ritalin.source == "AP"


@pytest.mark.parametrize(("headline", "place"), [
    ("Study shows Ritalin helps children with ADHD", "ANAHEIM, California"),
    ("Ritalin study published", "SAN DIEGO"),
    ("Ritalin study published in Britain", "NEW YORK"),
])  # fmt: skip
def test_an_inline_digest_headline_keeps_the_capitals_that_are_its_own(tmp_path, headline, place):
    # Where the breaks were lost, only the story says whether "ADHD" ends the headline or
    # starts the place: it names ADHD again, but never "SAN" or "NEW" in capitals.
    ritalin = _RITALIN.replace("ANAHEIM, California", place).replace(
        "attention-deficit disorder", "attention-deficit disorder (ADHD)"
    )
    text = "Satellite to monitor Earth's climate\n\n" + _SATELLITE + " ___ " + headline
    _, story = load_file(write(tmp_path / "digest.txt", text + " " + ritalin + "\n"))
    assert story.title == headline
    assert story.text.startswith("Behavior in children")


def test_a_digest_of_briefs_set_apart_by_dashes_under_their_datelines_alone(tmp_path):
    # AP's regional briefs: a rule of dashes, then the next story's dateline, no headline;
    # a place the stories name twice ("SAN DIEGO") and one with hyphens stay whole.
    again = _SATELLITE.replace("A satellite", "A second satellite")
    islands = _RITALIN.replace("ANAHEIM, California", "FORT-DE-FRANCE, Martinique")
    text = _SATELLITE + "\n\n------\n\n" + again + "\n\n------\n\n" + islands + "\n"
    first, second, third = load_file(write(tmp_path / "briefs.txt", text))
    assert first.text.startswith("A satellite a million miles away")
    assert second.text.startswith("A second satellite") and second.source == "AP"
    assert third.text.startswith("Behavior in children")
    assert not any("---" in a.text or "DIEGO" in a.text for a in (first, second, third))


def test_a_rule_that_no_headline_and_dateline_follow_leaves_the_story_whole(tmp_path):
    text = "Satellite to monitor Earth's climate\n\n" + _SATELLITE + "\n\n___\n\nJo Reporter"
    text += " contributed to this report from Washington.\n"
    (article,) = load_file(write(tmp_path / "signed.txt", text))
    assert article.title == "Satellite to monitor Earth's climate"
    assert "contributed" in article.text
