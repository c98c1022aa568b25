"""A printed table of contents is blanked before parsing: its entries are not the body's headings."""
from __future__ import annotations

from ingest.contents import without_contents

CONTENTS = """\
The Panel's summary ends here.
2/42
Contents

Chapter   Page
I. Introduction ..................................................  5
II. Conflict dynamics .............................................  5

A. Widespread and targeted attacks against internally displaced persons in RSF-controlled

areas ..........................................................  17
Annexes . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . 1–4   34
3/42
I. Introduction

1. In paragraph 2 of its resolution 2725 (2024), the Security Council requested a report."""


def test_a_contents_page_is_blanked_line_for_line_keeping_its_page_marks():
    out = without_contents(CONTENTS).split("\n")
    assert len(out) == len(CONTENTS.split("\n"))  # warnings keep their line numbers
    assert [line for line in out if line] == [
        "The Panel's summary ends here.", "2/42", "3/42", "I. Introduction",
        "1. In paragraph 2 of its resolution 2725 (2024), the Security Council requested a report."]


def test_one_leader_line_in_a_body_is_no_contents():
    text = "Signed at Geneva ........ 12\nThe parties agree.\nNo form here.\nName: ..........\nDate: .........."
    assert without_contents(text) == text


def test_entries_without_a_heading_are_blanked_from_the_first_entry():
    """A contents continued on a new page has no heading of its own."""
    text = "C. Nyala Airlift ........ 31\nD. Interceptions of RSF materiel ........ 32\n\n4/42\n12. The Panel found."
    assert without_contents(text).split("\n") == ["", "", "", "4/42", "12. The Panel found."]


def test_the_column_heads_and_the_group_above_a_headless_contents_go_with_it():
    """E/ICEF/2025/26: a compendium's list has no "Contents" heading, only its columns' heads."""
    text = ("Executive Board at its annual session of 2025\n\nDecision  Page\nAnnual session, 10–13 June 2025\n"
            "2025/8 Annual report for 2024 ........ 2\n2025/9 Annual report on humanitarian action ........ 2\n"
            "2/6\n2025/8\nAnnual report for 2024 of the Executive Director of UNICEF")
    assert [line for line in without_contents(text).split("\n") if line] == [
        "Executive Board at its annual session of 2025", "2/6", "2025/8",
        "Annual report for 2024 of the Executive Director of UNICEF"]


def test_a_line_above_a_headless_contents_stays_when_no_column_heads_stand_there():
    text = "The Board met twice.\nC. Nyala Airlift ........ 31\nD. Interceptions ........ 32\n12. The Panel found."
    assert without_contents(text).split("\n") == ["The Board met twice.", "", "", "12. The Panel found."]


def test_an_annex_heading_above_a_contents_stays_and_so_does_a_lone_column_word():
    """"Annex" matches a column head's words, but it opens the annex: only the contents below it goes."""
    text = ("Annex\n\nReport of the Panel of Experts on the Sudan\n\nContents\n\nPage\nI. Background ........ 3\n"
            "II. Findings ........ 5\n\nI. Background\n1. The Panel was appointed.")
    assert [line for line in without_contents(text).split("\n") if line] == [
        "Annex", "Report of the Panel of Experts on the Sudan", "I. Background", "1. The Panel was appointed."]
    headless = "Resolution\nAdopted without a vote.\nA. Item one ........ 3\nB. Item two ........ 5\nThe body."
    assert [line for line in without_contents(headless).split("\n") if line] == [
        "Resolution", "Adopted without a vote.", "The body."]
