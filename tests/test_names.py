import pytest

from graph_builder.names import clean_label, name_key, slug


@pytest.mark.parametrize(
    "text, label",
    [
        ("General Khalifa Haftar", "Khalifa Haftar"),
        ("Khalifa Haftar’s", "Khalifa Haftar"),
        ("Khalifa Haftar's", "Khalifa Haftar"),
        ("the United Nations", "United Nations"),
        ("President Barack Obama", "Barack Obama"),
        ("General", "General"),  # a lone title is kept: it is all the name there is
        ("“Sagezli”", "Sagezli"),
        ("the Defence Ministry", "Defence Ministry"),  # a title word that names an institution stays
        ("State Department", "State Department"),
        ("Foreign Minister Sergei Lavrov", "Sergei Lavrov"),
    ],
)
def test_clean_label(text, label):
    assert clean_label(text) == label


def test_name_key_folds_case_accents_and_punctuation():
    assert name_key("Al-Sabri") == name_key("AL SABRI") == "al sabri"
    assert name_key("Erdoğan") == name_key("Erdogan")


@pytest.mark.parametrize(
    "label",
    ["Khalifa Haftar", 'quote " and <angle>', "حفتر", "🙂🙂", "a b\nc\\d", "{{x}} # y", "x" * 500],
)
def test_slug_is_iri_safe_and_stable(label):
    s = slug(label)
    assert s and s == slug(label)
    assert not any(c in s for c in ' <>"{}|\\^`#\n')
    assert len(s) <= 120


def test_slug_keeps_non_latin_letters():
    assert slug("خليفة حفتر") == "خليفة-حفتر"
