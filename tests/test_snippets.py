"""Snippets: where they come from (summary, then the text around the matches), what they mark
(words, stems in the record's language), long texts, other scripts, and hits without a word match."""

from __future__ import annotations

import copy
import re

import pytest

import jurisdex

FILLER = "The court considered the procedural history of the appeal at length. "  # 68 bytes, no query word


def marked(snippet: str) -> list:
    return re.findall(r"<mark>(.*?)</mark>", snippet)


@pytest.fixture
def base(record) -> dict:
    r = copy.deepcopy(record)
    r.update(language="en", summary="A short summary about an appeal.", keywords=[], title="Appeal")
    r.pop("text", None)
    return r


@pytest.fixture
def index_of(tmp_path):
    opened = []

    def build(*records):
        idx = jurisdex.Index(tmp_path / f"idx{len(opened)}", create=True)
        idx.add(list(records))
        opened.append(idx)
        return idx

    yield build
    for idx in opened:
        idx.close()


def test_match_only_at_the_end_of_a_200_kb_text(index_of, base):
    text = FILLER * 3000 + "Finally, the defendants smuggled eleven people across the border."
    assert len(text.encode()) > 200_000
    idx = index_of(dict(base, text=text))
    hit = idx.search("smuggling")[0]  # a stem: "smuggled" in the text
    assert marked(hit.snippet) == ["smuggled"]
    assert hit.snippet.startswith("…Finally, the defendants")  # the sentence's start, an ellipsis before it
    assert hit.snippet.endswith("border.")  # the text's end: no ellipsis
    assert idx.get(base["id"])["text"] == text  # the stored text, compressed in blocks, comes back whole


def test_match_in_the_middle_of_a_long_text(index_of, base):
    text = FILLER * 1500 + "Two smugglers were convicted. " + FILLER * 1500
    idx = index_of(dict(base, text=text))
    hit = idx.search("smuggler")[0]
    assert marked(hit.snippet) == ["smugglers"]
    assert hit.snippet.startswith("…Two <mark>smugglers</mark> were") and hit.snippet.endswith("…")
    assert len(hit.snippet) < 400


def test_densest_window_wins(index_of, base):
    text = FILLER * 200 + "A smuggler. " + FILLER * 200 + "The smuggler paid another smuggler. " + FILLER * 200
    hit = index_of(dict(base, text=text)).search("smuggler")[0]
    assert marked(hit.snippet) == ["smuggler", "smuggler"]


def test_summary_first_when_it_matches(index_of, base):
    r = dict(base, summary="The smuggler was convicted on appeal.", text=FILLER * 100 + "smuggler " + FILLER)
    hit = index_of(r).search("smuggler")[0]
    assert hit.snippet == "The <mark>smuggler</mark> was convicted on appeal."


def test_title_only_match_shows_the_summary(index_of, base):
    r = dict(base, title="Smuggler appeal", text=FILLER * 3000)
    hit = index_of(r).search("smuggler")[0]
    assert hit.snippet == base["summary"]


@pytest.mark.parametrize("lang, text, query, word", [
    ("zh", "本案涉及多名被告。" * 2000 + "法院判决被告人犯有偷运移民罪。", "移民", "移民"),
    ("ja", "本件は控訴審である。" * 2000 + "被告人は密入国を助けた。", "密入国", "密入国"),
    ("ar", "نظرت المحكمة في الاستئناف. " * 3000 + "أدانت المحكمة المتهمين بتهريب المهاجرين عبر الحدود.", "المهاجرين", "المهاجرين"),
])
def test_other_scripts_at_the_end_of_a_long_text(index_of, base, lang, text, query, word):
    idx = index_of(dict(base, language=lang, text=text))
    hit = idx.search(query)[0]
    assert word in marked(hit.snippet)
    assert hit.snippet.startswith("…")
    assert idx.get(base["id"])["text"] == text


def test_arabic_stems_are_marked(index_of, base):
    text = "نظرت المحكمة في الاستئناف. " * 50 + "أدانت المحكمة المهرب."
    hit = index_of(dict(base, language="ar", text=text)).search("المهربين", lang="ar")[0]
    assert marked(hit.snippet), hit.snippet


def test_a_hit_matched_by_a_concept_alone(index_of, base):
    """"passeur" names the smuggling concept; an English record coded as smuggling, none of
    whose words is "passeur", is found through the concept: its snippet is its summary."""
    r = dict(base, offences=["smuggling_of_migrants"], summary="The boat's skipper was convicted.",
             text=FILLER * 3000)
    hit = index_of(r).search("passeur")[0]
    assert hit.id == r["id"]
    assert hit.snippet == "The boat's skipper was convicted."


def test_html_is_escaped_in_a_text_snippet(index_of, base):
    r = dict(base, text=FILLER * 500 + "The <b>smuggler</b> & his boat.")
    hit = index_of(r).search("smuggler")[0]
    assert "&lt;b&gt;<mark>smuggler</mark>&lt;/b&gt; &amp; his boat." in hit.snippet


def test_snippets_on_the_shipped_corpus_mark_what_the_query_matched(corpus_index):
    for query in ["smuggled", "lorry", "ransom", "Schleuser", "passeurs"]:
        for hit in corpus_index.search(query, limit=10):
            for word in marked(hit.snippet):
                assert jurisdex.fold(word)[:4] == jurisdex.fold(query)[:4], (query, hit.id, hit.snippet)
