"""The speller of the formatted surface (``core.spelling``): which words of
a paragraph are misspelt, kept by paragraph, and what the workspace's own
words change."""

from __future__ import annotations

from guidelines_app.core.spelling import Speller


def test_the_misspelt_words_of_a_paragraph_are_found_and_a_paragraph_checked_again_gives_the_same():
    speller = Speller("en_US")
    text = "Every employe who posts for the compnay says so."
    found = speller.misspelt(text)
    assert [text[a:b] for a, b in found] == ["employe", "compnay"]
    again = speller.misspelt("".join(list(text)))  # the same words, another string (as Qt gives a block's text)
    assert again == found
    assert speller.misspelt("Every employee who posts says so.") == ()


def test_a_word_added_is_no_longer_misspelt_in_a_paragraph_checked_before():
    speller = Speller("en_US")
    text = "The Northwindo team reviews each post."
    assert [text[a:b] for a, b in speller.misspelt(text)] == ["Northwindo"]
    speller.add("Northwindo")
    assert speller.misspelt(text) == ()
    other = "A Southwindo post."
    assert [other[a:b] for a, b in speller.misspelt(other)] == ["Southwindo"]


def test_the_paragraphs_kept_stay_under_their_size(monkeypatch):
    from guidelines_app.core import spelling

    monkeypatch.setattr(spelling, "_TEXTS_CHARS", 500)
    speller = Speller("en_US")
    for n in range(40):  # a paragraph typed into: a new text at every key
        speller.misspelt("Every employe posts " + "word " * n)
    kept = sum(len(text) for text in speller._texts)
    assert 0 < kept <= 500 + len("Every employe posts " + "word " * 39)
    assert speller.misspelt("Every employe posts") == ((6, 13),)


def test_words_in_another_script_are_not_marked_by_the_english_dictionary():
    """A Russian title ("Правила для соцсетей") was underlined in red, word
    by word; an English word with an accent is still looked up."""
    speller = Speller("en_GB")
    text = "Правила для соцсетей: the compnay's café rules, Ελληνικά and 社交媒体."
    assert [text[a:b] for a, b in speller.misspelt(text)] == ["compnay's"]
    assert not speller.known("cafzé")


def test_spelling_starts_in_the_desktop_s_english(monkeypatch, tmp_path):
    """A UK desktop's first spelling was American: "authorised" was
    underlined in a UK policy until the user found View > Spelling."""
    from guidelines_app.core.settings import Settings

    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for lang, expected in (("en_GB.UTF-8", "en_GB"), ("en_IE.UTF-8", "en_GB"), ("en_AU", "en_GB"),
                           ("en_US.UTF-8", "en_US"), ("de_DE.UTF-8", "en_US"), ("C.UTF-8", "en_US")):
        monkeypatch.setenv("LANG", lang)
        assert Settings.load(tmp_path / "none.json").spelling_language == expected, lang
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # LC_ALL before LANG, as the C library reads them
    assert Settings.load(tmp_path / "none.json").spelling_language == "en_US"
    # A choice once saved stays the user's.
    monkeypatch.delenv("LC_ALL")
    settings = Settings.load(tmp_path / "none.json")
    settings.spelling_language = "en_US"
    settings.save(tmp_path / "s.json")
    assert Settings.load(tmp_path / "s.json").spelling_language == "en_US"


def test_the_spelling_and_the_dates_read_the_computers_region_one_way(monkeypatch, tmp_path):
    """Spelling and the acknowledgements' dates each read the setting their
    own way: "English_Philippines" gave British spelling but month-first
    dates."""
    from guidelines_app.core.settings import Settings
    from guidelines_app.review.attest_dates import locale_day_first, system_locale

    for name in ("LC_ALL", "LC_MESSAGES", "LC_TIME", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for lang, spelling, day_first in (("English_Philippines", "en_US", False), ("English_United Kingdom", "en_GB", True),
                                      ("en_PH.UTF-8", "en_US", False), ("en-GB", "en_GB", True),
                                      ("English_United States", "en_US", False)):
        monkeypatch.setenv("LANG", lang)
        assert Settings.load(tmp_path / "none.json").spelling_language == spelling, lang
        assert locale_day_first(system_locale()) is day_first, lang
