"""Coding help: suggest() and audit(), from Python and the command line (docs/suggest.md)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

import jurisdex
from jurisdex import _core
from jurisdex.cli import main
from jurisdex.suggest import FIELDS, Finding, audit_record, suggest

from conftest import ROOT


def case(lang: str, summary: str, **more) -> dict:
    return {"id": f"t-{lang}", "type": "case", "title": "Test", "country": "FRA", "language": lang,
            "summary": summary, "offences": [], "source": {"citation": "test"}, **more}


def values(found, field):
    return [s.value for s in found.get(field, [])]


# One record per language: what is suggested, and the words it stands on.
@pytest.mark.parametrize("lang, summary, expected", [
    ("en", "The defendant was convicted of people smuggling and sentenced to seven years and six months' "
           "imprisonment; 39 migrants died in the lorry.",
     {"offences": "smuggling_of_migrants", "sentence_months": 90, "deaths": 39, "outcome": "conviction"}),
    ("fr", "Le tribunal correctionnel l'a condamné à 4 ans d'emprisonnement pour aide au séjour irrégulier.",
     {"offences": "facilitation_of_illegal_stay", "sentence_months": 48, "court_level": "first_instance"}),
    ("es", "El acusado fue condenado a dos años y seis meses de prisión por tráfico de migrantes; 103 personas "
           "viajaban en el cayuco.",
     {"offences": "smuggling_of_migrants", "sentence_months": 30, "migrants_or_victims": 103}),
    ("de", "Das Landgericht verurteilte ihn wegen Einschleusens von Ausländern zu sieben Jahren Freiheitsstrafe; "
           "drei Tote.",
     {"offences": "smuggling_of_migrants", "sentence_months": 84, "deaths": 3}),
    ("it", "La Corte d'appello ha condannato i tre imputati a dieci anni e sei mesi di reclusione per "
           "favoreggiamento dell'immigrazione clandestina.",
     {"sentence_months": 126, "defendants": 3, "court_level": "appeal"}),
    ("nl", "De rechtbank veroordeelde de verdachte wegens mensensmokkel tot een gevangenisstraf van 24 maanden.",
     {"offences": "smuggling_of_migrants", "sentence_months": 24, "court_level": "first_instance"}),
])
def test_suggest_in_six_languages(lang, summary, expected):
    record = case(lang, summary)
    found = suggest(record)
    for field, value in expected.items():
        assert value in values(found, field), (field, found.to_dict().get(field))
    summary_bytes = summary.encode()
    for field, suggestions in found.items():
        assert field in FIELDS
        for s in suggestions:
            assert 0 < s.confidence <= 1 and s.evidence
            for e in s.evidence:  # offsets are bytes of the field, and point at the words
                assert e.field == "summary"
                assert summary_bytes[e.start:e.end].decode() == e.words


def test_no_evidence_no_suggestion():
    record = case("en", "The hearing took place on a Tuesday; the weather was fine and the room was full.")
    assert suggest(record) == {}
    assert suggest("Rien de tout cela ne concerne les faits.", "fr") == {}


def test_text_language_guessed():
    found = suggest("Il a été condamné à quatre ans d'emprisonnement.")
    assert values(found, "sentence_months") == [48]
    found = suggest("Er wurde zu dreieinhalb Jahren Haft verurteilt.")
    assert values(found, "sentence_months") == [42]


@pytest.mark.parametrize("text, lang, months", [
    ("sentenced to 38 months", "en", 38),
    ("a sentence of ten years' imprisonment", "en", 120),
    ("sentenced to two and a half years", "en", 30),
    ("condamné à deux ans et demi de prison", "fr", 30),
    ("condenado a veinticinco años de prisión", "es", 300),
    ("condannato a ventotto anni di reclusione", "it", 336),
    ("zu 3,5 Jahren Haft verurteilt", "de", 42),
    ("veroordeeld tot vijfentwintig maanden gevangenisstraf", "nl", 25),
])
def test_sentence_lengths(text, lang, months):
    assert values(suggest(text, lang), "sentence_months") == [months]


@pytest.mark.parametrize("text, lang", [
    ("The offence is punishable by up to 10 years' imprisonment.", "en"),   # the law's maximum
    ("The prosecutor sought five years in prison.", "en"),                 # asked, not pronounced
    ("Mirkhan R., 26 ans, a été condamné.", "fr"),                         # an age
    ("a 25-year-old man was sentenced", "en"),
])
def test_lengths_that_are_not_sentences(text, lang):
    assert "sentence_months" not in suggest(text, lang)


def test_life_sentence_has_no_months():
    found = suggest("He was sentenced to life imprisonment; his brother to 12 years in prison.", "en")
    assert values(found, "life_sentence") == [True]
    assert "sentence_months" not in found


def test_denied_aggravation_not_suggested():
    assert "minors" in values(suggest("The victims were minors.", "en"), "aggravations")
    assert "minors" not in values(suggest("No minors were among the victims; the passengers were without children.", "en"),
                                  "aggravations")


def test_court_field_names_the_level():
    found = suggest(case("fr", "Arrêt sur l'aide au séjour.", court="Cour d'appel de Douai"))
    assert values(found, "court_level") == ["appeal"]
    assert found["court_level"][0].evidence[0].field == "court"


def test_suggest_rejects_other_types():
    with pytest.raises(TypeError):
        suggest(42)  # type: ignore[arg-type]


def test_index_suggest_uses_its_vocabulary(corpus_index, corpus_records):
    record = corpus_records["cases"][0]
    assert corpus_index.suggest(record).to_dict() == suggest(record).to_dict()


def test_audit_record_kinds():
    record = case("en", "The defendant was sentenced to 5 years in prison. The victims were children.",
                  aggravations=["death"], sentence_months=48)
    findings = audit_record(record, suggest(record), min_confidence=0.5)
    kinds = {(f.field, f.kind) for f in findings}
    assert ("aggravations", "missing") in kinds        # minors: supported, not coded
    assert ("aggravations", "unsupported") in kinds    # death: coded, no words for it
    assert ("sentence_months", "differs") in kinds     # 48 coded, 60 read
    assert all(isinstance(f, Finding) for f in findings)


def test_audit_over_the_corpus(corpus_index, corpus_records):
    audit = corpus_index.audit()
    assert audit.records_checked == len(corpus_records["cases"])
    assert set(audit.counts()) <= {"missing", "unsupported", "differs"}
    assert audit.counts()["missing"] > 0
    ids = {r["id"] for r in corpus_records["cases"]}
    assert all(f.id in ids for f in audit)
    rows = list(csv.reader(io.StringIO(audit.to_csv())))
    assert rows[0] == list(Finding.COLUMNS) and len(rows) == len(audit) + 1
    german = corpus_index.audit(language="de", fields=["aggravations"])
    assert german.records_checked == sum(1 for r in corpus_records["cases"] if r["language"] == "de")
    assert all(f.language == "de" and f.field == "aggravations" for f in german)


def test_cli_suggest(tmp_path, capsys):
    path = tmp_path / "new.jsonl"
    path.write_text("\n".join(json.dumps(case(lang, s)) for lang, s in [
        ("de", "Der Angeklagte wurde zu sieben Jahren Haft verurteilt."),
        ("en", "Nothing here."),
    ]) + "\n", encoding="utf-8")
    assert main(["suggest", str(path)]) == 0
    out = capsys.readouterr().out
    assert "sieben Jahren" in out and "84" in out and "nothing suggested" in out
    assert main(["suggest", str(path), "--format", "jsonl"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["suggestions"]["sentence_months"][0]["value"] == 84
    assert lines[1]["suggestions"] == {}


def test_cli_audit(corpus_index, tmp_path, capsys):
    assert main(["audit", "--db", corpus_index.path, "--format", "csv", "--language", "nl"]) == 0
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert rows and all(r["language"] == "nl" for r in rows)
    assert "records checked" in captured.err
    assert main(["audit", "--db", corpus_index.path, "--field", "sentence_months"]) == 0
    assert "sentence_months" in capsys.readouterr().out


def test_bench_runs():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "suggest.py")], capture_output=True, text=True,
                         check=True).stdout
    assert "offences" in out and "baseline" in out


def test_core_fields_match_python():
    assert tuple(_core.suggestible_fields()) == FIELDS
