"""Nothing overwritten, nothing dropped: document keys, refusals, no-ops, identity changes, prune, remove.

Each path runs on the embedded store and on a real ``oxigraph serve`` reached over HTTP.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.model import DocMeta
from ingest.parsers import ParseContext, parse_document
from ingest.references import Instruments
from kg.composition import Components
from kg.documents import remove_document, stored_documents
from ingest.namespaces import BASE, GRAPH
from tests.conftest import ROOT, make_settings
from tests.test_remote_store import oxigraph_server, store, virtuoso_server  # noqa: F401 (fixtures: every store kind)

FIXTURES = ROOT / "tests" / "fixtures" / "realdocs"
R2P = Path(sys.executable).parent / "r2p"


def un_letter(symbol: str, body: str = "I have the honour to inform you that the Committee met.") -> str:
    """A small UN letter as text, with the masthead a real one prints."""
    return (f"United Nations  {symbol}\n\nSecurity Council\n\nDistr.: General\n29 January 2025\n\nOriginal: English\n\n"
            f"Letter dated 28 January 2025 from the President of the Security Council addressed to the "
            f"Secretary-General\n\n{body}\n\n(Signed) Amar Bendjama\nPresident of the Security Council\n")


def run(settings, store, paths, **options):
    return Components(settings, store=store).ingest(paths, **options)


def graphs(store) -> set[str]:
    return {g.value.removeprefix(GRAPH) for g in store.named_graphs()} - {"ontology", "catalogue"}  # the shared graphs


def texts(store, key: str) -> str:
    rows = store.select(f"SELECT ?t {{ ?p r2p:inDocument <{BASE}doc/{key}> ; r2p:text ?t }}")
    return " ".join(r["t"] for r in rows)


@pytest.fixture
def folder(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    return docs


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path / "data", corpus_dir=tmp_path / "no-corpus")


def test_a_second_different_file_with_the_same_key_is_refused_naming_both_files(store, folder, settings):
    (folder / "a.txt").write_text(un_letter("S/2025/67", "I have the honour to report the first version."))
    (folder / "b.txt").write_text(un_letter("S/2025/67", "I have the honour to report another text."))
    report = run(settings, store, [folder])
    assert report.written == ["S-2025-67"] and not report.ok
    assert [e.reason for e in report.refused] == [
        f"refused: {folder / 'a.txt'} already holds the key S-2025-67 (S/2025/67, en); pass --replace to replace it"]
    assert report.refused[0].path == str(folder / "b.txt")
    assert report.summary() == "files: 1 written, 0 unchanged, 1 refused, 0 failed"
    assert "the first version" in texts(store, "S-2025-67")

    replaced = run(settings, store, [folder], replace=True)
    assert (replaced.written, replaced.unchanged, replaced.refused) == (["S-2025-67"], 1, [])
    assert replaced.dropped == [f"{GRAPH}S-2025-67 (was {folder / 'a.txt'}, replaced by {folder / 'b.txt'})"]
    assert "another text" in texts(store, "S-2025-67") and "the first version" not in texts(store, "S-2025-67")


def test_identical_bytes_at_another_path_are_a_no_op_with_a_note(store, folder, settings):
    (folder / "a.txt").write_text(un_letter("S/2025/67"))
    (folder / "sub").mkdir()
    shutil.copy(folder / "a.txt", folder / "sub" / "copy.txt")
    report = run(settings, store, [folder])
    assert (report.written, report.unchanged, report.refused, report.ok) == (["S-2025-67"], 1, [], True)
    assert report.notes == [f"{folder / 'sub' / 'copy.txt'}: identical to {folder / 'a.txt'}, "
                            f"already ingested as S-2025-67; nothing to do"]


def test_the_same_file_again_is_unchanged_and_a_changed_one_replaces_its_graph(store, folder, settings):
    letter = folder / "a.txt"
    letter.write_text(un_letter("S/2025/67", "I have the honour to report the first version."))
    run(settings, store, [folder])
    again = run(settings, store, [folder])
    assert (again.written, again.unchanged) == ([], 1)
    letter.write_text(un_letter("S/2025/67", "I have the honour to report a changed text."))
    changed = run(settings, store, [folder])
    assert (changed.written, changed.refused, changed.dropped) == (["S-2025-67"], [], [])
    assert "a changed text" in texts(store, "S-2025-67") and "first version" not in texts(store, "S-2025-67")


def test_a_path_whose_identity_changed_loses_its_old_graph_and_the_summary_says_so(store, folder, settings):
    letter = folder / "a.txt"
    letter.write_text(un_letter("S/2025/67"))
    run(settings, store, [folder])
    letter.write_text(un_letter("S/2025/68"))
    report = run(settings, store, [folder])
    assert report.written == ["S-2025-68"]
    assert report.dropped == [f"{GRAPH}S-2025-67 (the old identity of {letter}, now S-2025-68)"]
    assert graphs(store) == {"S-2025-68"}


def test_prune_drops_the_graphs_of_files_gone_from_the_folder(store, folder, settings):
    (folder / "a.txt").write_text(un_letter("S/2025/67"))
    (folder / "b.txt").write_text(un_letter("S/2025/68"))
    run(settings, store, [folder])
    (folder / "b.txt").unlink()
    assert graphs(store) == {"S-2025-67", "S-2025-68"}
    assert run(settings, store, [folder]).dropped == []  # without --prune nothing goes
    report = run(settings, store, [folder], prune=True)
    assert report.dropped == [f"{GRAPH}S-2025-68 (its file {folder / 'b.txt'} is gone)"]
    assert graphs(store) == {"S-2025-67"}


def test_language_versions_are_two_expressions_of_one_work(store, folder, settings):
    (folder / "S_2025_67.en.txt").write_text(un_letter("S/2025/67"))
    (folder / "S_2025_67.fr.txt").write_text(un_letter("S/2025/67", "J'ai l'honneur de vous informer."))
    report = run(settings, store, [folder])
    assert sorted(report.written) == ["S-2025-67", "S-2025-67.fr"] and report.ok
    assert store.ask(f"""ASK {{ <{BASE}doc/S-2025-67> r2p:expressionOf <{BASE}work/S-2025-67> ; dcterms:language "en" .
        <{BASE}doc/S-2025-67.fr> r2p:expressionOf <{BASE}work/S-2025-67> ; dcterms:language "fr" }}""")


def test_documents_are_listed_and_removed_by_symbol(store, folder, settings):
    (folder / "joint.txt").write_text(un_letter("A/79/898-S/2025/281"))
    (folder / "b.txt").write_text(un_letter("S/2025/68"))
    run(settings, store, [folder])
    entries = {e.key: e for e in stored_documents(store)}
    assert set(entries) == {"A-79-898", "S-2025-68"}
    joint = entries["A-79-898"]
    assert (joint.symbol, joint.doc_type, joint.date, joint.source, joint.language) == (
        "A/79/898–S/2025/281", "letter", "2025-01-29", str(folder / "joint.txt"), "en")
    assert joint.parts >= 1
    assert remove_document(store, "S/2025/281") == [f"{GRAPH}A-79-898"]  # the second part of a joint symbol
    assert remove_document(store, "S/2025/281") == []
    assert graphs(store) == {"S-2025-68"}


def test_a_corrigendum_links_to_what_it_corrects_and_to_its_official_record(store, folder, settings):
    shutil.copy(FIXTURES / "E_2025_68_Corr.1.en.pdf", folder)
    report = run(settings, store, [folder])
    assert report.written == ["E-2025-68-Corr.1"]
    assert store.ask(f"""ASK {{ <{BASE}doc/E-2025-68-Corr.1> r2p:corrects <{BASE}doc/E-2025-68> ;
            rdfs:seeAlso <https://undocs.org/E/2025/68/Corr.1> ; r2p:documentType "report" ;
            dcterms:date "2025-06-09"^^xsd:date ; r2p:distribution "General" ; r2p:originalLanguage "English" .
        <{BASE}doc/E-2025-68> r2p:correctedBy <{BASE}doc/E-2025-68-Corr.1> }}""")


def test_a_revision_and_an_addendum_link_to_what_they_amend_and_it_shows_them(store, folder, settings):
    (folder / "rev.txt").write_text(un_letter("S/2025/67/Rev.1"))
    (folder / "add.txt").write_text(un_letter("A/79/898/Add.2-S/2025/281/Add.2"))
    assert run(settings, store, [folder]).ok
    assert store.ask(f"""ASK {{ <{BASE}doc/S-2025-67-Rev.1> r2p:revises <{BASE}doc/S-2025-67> .
        <{BASE}doc/S-2025-67> r2p:revisedBy <{BASE}doc/S-2025-67-Rev.1> ; dcterms:identifier "S/2025/67" .
        <{BASE}doc/A-79-898-Add.2> r2p:addendumTo <{BASE}doc/A-79-898> ;
            rdfs:seeAlso <https://undocs.org/A/79/898/Add.2>, <https://undocs.org/S/2025/281/Add.2> .
        <{BASE}doc/A-79-898> r2p:hasAddendum <{BASE}doc/A-79-898-Add.2> }}""")


def test_a_letter_that_cites_resolutions_is_a_letter_and_keeps_its_text(store, folder, settings):
    # The old detector made this letter a "resolution" from "resolution 1540 (2004)" and then rejected it.
    shutil.copy(FIXTURES / "S_2025_149.en.pdf", folder)
    report = run(settings, store, [folder])
    assert report.ok and report.written == ["S-2025-149"]
    assert store.ask(f"""ASK {{ <{BASE}doc/S-2025-149> r2p:documentType "letter" ; dcterms:date "2025-03-10"^^xsd:date ;
        r2p:letterDate "2025-03-10"^^xsd:date ; rdfs:seeAlso <https://undocs.org/S/2025/149> }}""")
    assert "the Committee is continuing its consideration of its annual programme of work" in texts(store, "S-2025-149")


def test_a_structural_parser_that_fails_falls_back_to_one_that_keeps_every_paragraph():
    text = ("RESOLUTION 9999 (2030)\n\nAdopted by the Security Council at its 9999th meeting, on 1 January 2030\n\n"
            "This text has no operative paragraph at all.\n\nNor does this second block of text.\n")
    meta = DocMeta(id="S-RES-9999-2030", type="resolution", title="x", guessed=["type"])
    docs = parse_document(text, ParseContext(meta=meta, instruments=Instruments()))
    kept = " ".join(n.text for n in docs[0].walk())
    assert "no operative paragraph at all" in kept and "second block of text" in kept
    assert docs[0].warnings[0].startswith("S-RES-9999-2030: resolution parser failed (resolution has no operative")


def test_the_cli_prints_what_it_detected_refuses_with_exit_code_1_lists_and_removes(tmp_path, folder):
    (folder / "a.txt").write_text(un_letter("S/2025/67", "I have the honour to report the first version."))
    (folder / "b.txt").write_text(un_letter("S/2025/67", "I have the honour to report another text."))

    def r2p(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(R2P), "--data", str(tmp_path / "data"), "--corpus", str(tmp_path / "no-corpus"),
                               *args], capture_output=True, text=True, env=os.environ | {"COLUMNS": "400"})

    result = r2p("ingest", str(folder), "--no-index")
    assert result.returncode == 1
    assert (f"detected: {folder / 'a.txt'}: symbol=S/2025/67, type=letter, date=2025-01-29, language=en, "
            f"title='Letter dated 28 January 2025 from the President of the Security Council addressed to the "
            f"Secretary-General'") in result.stderr
    assert f"refused: {folder / 'b.txt'}: refused: {folder / 'a.txt'} already holds the key S-2025-67" in result.stderr
    assert "files: 1 written, 0 unchanged, 1 refused, 0 failed" in result.stderr
    listing = r2p("documents", "--json")
    assert listing.returncode == 0
    assert [(d["key"], d["doc_type"], d["date"], d["source"]) for d in json.loads(listing.stdout)] == [
        ("S-2025-67", "letter", "2025-01-29", str(folder / "a.txt"))]
    assert r2p("remove", "S/2025/67").returncode == 0
    gone = r2p("remove", "S/2025/67")
    assert gone.returncode == 1 and "no document 'S/2025/67' in the graph" in gone.stderr
