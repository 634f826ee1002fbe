"""ParseIndex: the parse read once must say exactly what spaCy's Tokens say."""

from __future__ import annotations

from graph_builder.extract import extract_article
from graph_builder.extract.parse_index import ParseIndex, children_with, first_child, has_child, shared_index
from graph_builder.types import Article

TEXT = ("BEIRUT (Reuters) - Syrian troops and Hezbollah fighters recaptured the town of Qusair on Monday, "
        "the army said. \"We will not stop,\" said General Ali Ayoub.  It was not clear whether rebels had fled.")


def test_columns_match_the_tokens(nlp):
    doc = nlp(TEXT)
    index = ParseIndex(doc)
    assert index.text == doc.text
    assert [s.start for s in index.sentences] == [s.start for s in doc.sents]
    for token in doc:
        i = token.i
        assert (index.text_of[i], index.pos[i], index.dep[i], index.lemma[i], index.lower[i], index.ent_type[i],
                index.ent_iob[i], index.is_alpha[i], index.idx[i], index.head[i]) == (
            token.text, token.pos_, token.dep_, token.lemma_, token.lower_, token.ent_type_,
            token.ent_iob_, token.is_alpha, token.idx, token.head.i)
        assert index.lemma_lower[i] == token.lemma_.lower()
        assert index.children(i) == [c.i for c in token.children]
        assert index.sentence_of(i) == token.sent
    for span in (doc[0:3], doc[5:6], doc[2:len(doc)]):
        assert index.char_span(span.start, span.end) == (span.text, span.start_char, span.end_char)


def test_child_helpers_match_token_children(nlp):
    doc = nlp(TEXT)
    with shared_index(doc):
        for token in doc:
            for deps in (("nsubj", "nsubjpass"), ("prep",), ("dobj",)):
                expected = [c for c in token.children if c.dep_ in deps]
                assert children_with(token, deps) == expected
                assert has_child(token, deps) == bool(expected)
                assert first_child(token, deps) == (expected[0] if expected else None)


def test_the_shared_index_leaves_nothing_in_the_doc(nlp):
    doc = nlp(TEXT)
    extract_article(doc, Article(id="a", text=TEXT))
    assert doc.user_data == {}
    doc.to_bytes()  # still serialisable
