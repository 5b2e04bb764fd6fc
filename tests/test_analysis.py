"""Text analysis: ICU word breaking in every script, folding, and stemming per language."""

from __future__ import annotations

import pytest

import jurisdex
from jurisdex import _core


@pytest.mark.parametrize(
    "text, folded",
    [
        ("ÊTRES", "etres"),
        ("êtres", "etres"),
        ("etres", "etres"),
        ("Traite des Êtres Humains", "traite des etres humains"),
        ("Straße", "strasse"),
        ("ﬁnancial", "financial"),  # NFKC: the ligature becomes two letters
        ("l'entrée irrégulière", "l entree irreguliere"),
        ("aide à l’entrée", "aide a l entree"),  # typographic apostrophe
        ("8 U.S.C. § 1324", "8 u s c 1324"),
        ("Ἀνθρωπεμπορία", "ανθρωπεμπορια"),  # Greek: accents and breathings folded
        ("οδός ΟΔΟΣ", "οδοσ οδοσ"),  # final sigma folds like capital sigma
        ("ТОРГОВЛЯ ЛЮДЬМИ", "торговля людьми"),
    ],
)
def test_fold(text, folded):
    assert jurisdex.fold(text) == folded


@pytest.mark.parametrize(
    "text, words",
    [
        ("人口贩卖是犯罪", ["人口", "贩卖", "是", "犯罪"]),  # Chinese: dictionary word breaking
        ("人身売買", ["人身", "売買"]),  # Japanese
        ("การค้ามนุษย์", ["การ", "ค้า", "มนุษย์"]),  # Thai: no spaces between words
        ("الاتجار بالبشر", ["الاتجار", "بالبشر"]),  # Arabic
        ("मानव तस्करी", ["मानव", "तस्करी"]),  # Devanagari keeps its vowel signs
    ],
)
def test_word_breaking_in_every_script(text, words):
    assert [t for t, _, _ in _core.tokenize(text)] == words


def test_token_offsets_point_into_the_original():
    text = "Le passeur a été condamné à Zürich"
    for term, start, end in _core.tokenize(text):
        assert jurisdex.fold(text.encode()[start:end].decode()) == term


def _with_icu(text):
    # A Greek word at the end sends the whole text through ICU's word breaking: the words before
    # it are what ICU makes of them, to compare with the fast path for Latin text.
    return _core.tokenize(text + " α")[:-1]


@pytest.mark.parametrize("text", [
    "Schlachtkörper Straße ÆSIR œuvre İstanbul Ĳssel ſ µg 1ª 2º façade naïve ǅemal ȘȚ șț Ø ø ß",
    "l’entrée «passeur» § 96 AufenthG – 3,5 km… ×÷ ¼ ² °C €",
    "pas\u00adseur",  # an invisible soft hyphen: ICU decides
    "e\u0301cole",  # a combining accent: ICU decides
    "x" * 70 + " é" + "é" * 40 + " b",  # words over 64 bytes are dropped, folded or not
    "bad \udcff bytes",
])
def test_latin_text_is_analysed_as_icu_does(text):
    raw = text.encode("utf-8", "surrogateescape")  # ill-formed UTF-8 too
    assert _core.tokenize(raw) == _core.tokenize(raw + " α".encode())[:-1]


def test_the_corpus_is_analysed_as_icu_does(all_records):
    texts = [r.get(field, "") for r in all_records for field in ("title", "summary", "text")]
    assert sum(not t.isascii() for t in texts) > 900  # the fast path's text: accented Latin
    assert [t for t in texts if _core.tokenize(t) != _with_icu(t)] == []


@pytest.mark.parametrize(
    "lang, forms",
    [
        ("en", ["smuggled", "smuggling", "smuggles"]),
        ("fr", ["passeurs", "passeur"]),
        ("es", ["migrantes", "migrante"]),
        ("nl", ["smokkelaars", "smokkelaar"]),
        ("de", ["schleusern", "schleuser"]),
        ("it", ["trafficanti", "trafficante"]),
    ],
)
def test_inflections_share_a_stem(lang, forms):
    assert len({_core.stem(f, lang) for f in forms}) == 1


def test_unknown_language_leaves_words_alone():
    assert not _core.has_stemmer("xx")
    assert _core.stem("smuggling", "xx") == "smuggling"


@pytest.mark.parametrize("lang", ["en", "fr", "es", "nl", "de", "it"])
def test_search_matches_other_inflections_in_the_records_language(tmp_path, corpus_records, lang):
    """Index one real record per language; querying another form of one of its words finds it."""
    record = next(r for r in corpus_records["cases"] + corpus_records["legislation"] if r["language"] == lang)
    words = {t for t, _, _ in _core.tokenize(record["title"] + " " + record["summary"] + " " + record.get("text", ""))}
    # A word whose stem differs from it and is not itself in the record: searching the stem can
    # only match through stemming.
    word = next(w for w in sorted(words) if len(w) > 4 and (s := _core.stem(w, lang)) != w and s not in words
                and _core.stem(s, lang) == s)
    stem = _core.stem(word, lang)
    with jurisdex.Index(tmp_path / "idx", create=True) as idx:
        idx.add(record)
        assert idx.search(stem).ids() == [record["id"]]
        assert idx.search(stem, lang=lang).ids() == [record["id"]]
        # Phrases are not stemmed (with concepts, a phrase may still match by the concept it names).
        assert idx.search(f'"{stem}"', expand=False).ids() == []


def test_accents_and_case_meet_in_search(corpus_index):
    forms = ["traite des êtres humains", "TRAITE DES ETRES HUMAINS", "Traite des Etres Humains"]
    results = [corpus_index.search(f'"{q}"', limit=1000).ids() for q in forms]
    assert results[0] and results[0] == results[1] == results[2]


def test_cjk_query_is_broken_like_the_text(tmp_path, corpus_records):
    record = dict(corpus_records["cases"][0], summary="人口贩卖是犯罪。" + corpus_records["cases"][0]["summary"])
    with jurisdex.Index(tmp_path / "idx", create=True) as idx:
        idx.add(record)
        assert idx.search("人口贩卖").ids() == [record["id"]]
        assert idx.search("贩卖").ids() == [record["id"]]


def test_a_stem_matches_records_of_its_own_language_only(tmp_path, corpus_records):
    """German stems "carrier" to "carri", as English stems "carried": a search for "carrier"
    finds the German record that says it, not the English one that says "carried"."""
    assert _core.stem("carrier", "de") == _core.stem("carried", "en")
    base = {lang: next(r for r in corpus_records["cases"] if r["language"] == lang) for lang in ("en", "de")}
    english = dict(base["en"], summary="The goods were carried by road. " + base["en"]["summary"])
    german = dict(base["de"], summary="Der Carrier haftet. " + base["de"]["summary"])
    with jurisdex.Index(tmp_path / "idx", create=True) as idx:
        idx.add(english)
        idx.add(german)
        assert idx.search("carrier", expand=False).ids() == [german["id"]]
        assert idx.search("carried", expand=False).ids() == [english["id"]]


def test_a_word_in_most_records_of_a_language_is_a_stopword_there(corpus_index):
    """"und" is in the summaries of most German records of the corpus, not of most English ones:
    among other words, it adds no German matches, as QueryParser's stopwords do..."""
    assert corpus_index.search('"und"').total > 0.4 * corpus_index.search(language="de").total
    schleuser = set(corpus_index.search("schleuser", expand=False, limit=1000).ids())
    either = corpus_index.search("und schleuser", expand=False, limit=1000).ids()
    german = {i for i in either if corpus_index.get(i)["language"] == "de"}
    assert german and german <= schleuser
    # ...nor does it narrow an all-words search in German records.
    both = corpus_index.search("und schleuser", default_op="and", expand=False, limit=1000).ids()
    assert both and both == corpus_index.search("schleuser", default_op="and", expand=False, limit=1000).ids()
