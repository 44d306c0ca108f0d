"""Paper themes (plugins/paper_themes): matching rules, the YAML checks, the default theme set
and the build, which gives every paper article its themes."""

from __future__ import annotations

import functools
import re
import textwrap
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from papers.errors import PaperThemesError
from papers.model import Paper
from papers.themes import CATCH_ALL, MAX_THEMES, PaperThemeMatch, load_paper_themes, match_paper_themes
from papers.themes.matching import phrase_index, phrase_variants
from papers.themes.wordforms import MARK, tokens, words_and_marks
from papers.themes.taxonomy import DEFAULT_WEIGHTS
from pelican import signals

from tests.helpers import ROOT, build_site, script

themes_report = script("themes_report")

TITLE, KEYWORDS, ABSTRACT = (DEFAULT_WEIGHTS[part] for part in ("title", "keywords", "abstract"))

CORPUS = themes_report.DEFAULT_CORPUS


def make_paper(title="A paper", abstract="", keywords=(), categories=()) -> Paper:
    return Paper(
        arxiv_id="2608.00001",
        title=title,
        authors=["A. Author"],
        abstract=abstract,
        featured=["2026-08-21"],
        sources=["hf"],
        ai_keywords=list(keywords),
        categories=list(categories),
    )


def write_themes(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "themes.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def themes_from(tmp_path: Path, text: str):
    return load_paper_themes(write_themes(tmp_path, text))


def slugs(matches) -> list[str]:
    return [match.theme.slug for match in matches]


TWO_THEMES = """\
    paper_themes:
      - name: Retrieval
        slug: retrieval
        description: Retrieval-augmented generation.
        phrases: [RAG, retrieval-augmented generation]
      - name: Agents
        slug: agents
        description: Agents.
        phrases: [agent]
"""


@pytest.fixture
def two_themes(tmp_path):
    return themes_from(tmp_path, TWO_THEMES)


# --- Matching ------------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["Cheap storage for fragments", "A Drag-and-Drop Reagent Study", "Ragged arrays"])
def test_phrases_match_whole_words_only(two_themes, title):
    assert slugs(match_paper_themes(make_paper(title), two_themes)) == ["other"]


@pytest.mark.parametrize(
    "title, slug",
    [
        ("RAG-based question answering", "retrieval"),
        ("Better RAGs", "retrieval"),
        ("(RAG) for all", "retrieval"),
        ("rag, in lower case", "retrieval"),
        ("An AGENT in capitals", "agents"),
        ("Agents that plan", "agents"),
        ("Retrieval Augmented Generation without hyphens", "retrieval"),
    ],
)
def test_phrases_match_any_case_plural_and_hyphen_or_space(two_themes, title, slug):
    assert slugs(match_paper_themes(make_paper(title), two_themes)) == [slug]


def test_multi_word_phrases_match_run_together_but_never_across_punctuation(tmp_path):
    themes = themes_from(
        tmp_path,
        """\
        paper_themes:
          - {name: Pretraining, slug: pretraining, description: d, phrases: [pre-training]}
          - {name: LMs, slug: lms, description: d, phrases: [language model]}
        """,
    )
    assert slugs(match_paper_themes(make_paper("Pretraining at scale"), themes)) == ["pretraining"]
    assert slugs(match_paper_themes(make_paper("Pre training at scale"), themes)) == ["pretraining"]
    assert slugs(match_paper_themes(make_paper("Sign language. Model checking"), themes)) == ["other"]


def test_title_and_keywords_weigh_more_than_the_abstract(two_themes):
    in_title = match_paper_themes(make_paper("An agent"), two_themes)[0]
    in_keywords = match_paper_themes(make_paper(keywords=["LLM agents"], abstract="An agent."), two_themes)[0]
    in_abstract = match_paper_themes(make_paper(abstract="We build an agent. It is an agent."), two_themes)
    assert TITLE > KEYWORDS > ABSTRACT
    assert in_title.score == TITLE and in_keywords.score == KEYWORDS + ABSTRACT
    # A phrase in the abstract (counted once however often) is under min_score 3.
    assert ABSTRACT < 3 and slugs(in_abstract) == ["other"]
    everywhere = match_paper_themes(make_paper("Agents", "An agent.", ["agent"]), two_themes)[0]
    assert everywhere.score == TITLE + KEYWORDS + ABSTRACT


def test_reasons_say_which_phrase_matched_where(two_themes):
    paper = make_paper("Agents for RAG", "Retrieval-augmented generation helps an agent.", ["RAG pipelines"])
    matches = {m.theme.slug: m for m in match_paper_themes(paper, two_themes)}
    assert matches["retrieval"].reasons == (
        'title: "RAG"',
        'keywords: "RAG"',
        'abstract: "retrieval-augmented generation"',
    )
    assert matches["agents"].reasons == ('title: "agent"', 'abstract: "agent"')


def test_exclude_phrases_rule_a_theme_out(tmp_path):
    themes = themes_from(
        tmp_path,
        """\
        paper_themes:
          - name: Agents
            slug: agents
            description: d
            phrases: [agent]
            exclude: [chemical agent, nerve agent]
        """,
    )
    assert slugs(match_paper_themes(make_paper("Agents for chemistry"), themes)) == ["agents"]
    paper = make_paper("Agents for chemistry", "We detect nerve agents in water.")
    assert slugs(match_paper_themes(paper, themes)) == ["other"]


def test_arxiv_categories_add_their_weight(tmp_path):
    themes = themes_from(
        tmp_path,
        """\
        weights: {categories: 3}
        paper_themes:
          - {name: Robots, slug: robotics, description: d, phrases: [robot], categories: [cs.RO]}
        """,
    )
    [match] = match_paper_themes(make_paper("Grasping things", categories=["cs.RO", "cs.CV"]), themes)
    assert (match.theme.slug, match.score, match.reasons) == ("robotics", 3, ("category: cs.RO",))
    assert slugs(match_paper_themes(make_paper("Grasping things", categories=["cs.CV"]), themes)) == ["other"]
    # An archive stands for all of its categories; a theme's categories count once.
    biology = themes_from(
        tmp_path,
        """\
        weights: {categories: 3}
        paper_themes:
          - {name: Biology, slug: biology, description: d, phrases: [protein], categories: [q-bio, cs.CE]}
        """,
    )
    [match] = match_paper_themes(make_paper("Folding", categories=["q-bio.BM", "q-bio.GN", "cs.CE"]), biology)
    assert (match.score, match.reasons) == (3, ("category: q-bio.BM",))
    assert slugs(match_paper_themes(make_paper("Folding", categories=["q-fin.GN"]), biology)) == ["other"]
    # Papers without categories (Hugging Face only, or a Paper from before the field) match on text.
    paper = make_paper("A robot")
    del paper.categories
    assert slugs(match_paper_themes(paper, themes)) == ["robotics"]


def test_at_most_three_themes_best_first_ties_in_file_order(tmp_path):
    themes = themes_from(
        tmp_path,
        """\
        paper_themes:
          - {name: A, slug: a, description: d, phrases: [alpha]}
          - {name: B, slug: b, description: d, phrases: [beta, bravo]}
          - {name: C, slug: c, description: d, phrases: [gamma]}
          - {name: D, slug: d, description: d, phrases: [delta]}
          - {name: E, slug: e, description: d, phrases: [epsilon, echo]}
        """,
    )
    paper = make_paper("alpha beta bravo gamma delta epsilon echo")
    matches = match_paper_themes(paper, themes)
    assert len(matches) == MAX_THEMES == 3
    assert slugs(matches) == ["b", "e", "a"]  # two title phrases each, then a, c, d tied: a first
    assert [m.score for m in matches] == [2 * TITLE, 2 * TITLE, TITLE]


def test_synonyms_count_once_and_the_longest_phrase_of_a_theme_wins(tmp_path):
    themes = themes_from(
        tmp_path,
        """\
        paper_themes:
          - name: LLMs
            slug: llms
            description: d
            phrases: [[LLM, large language model, language model], language]
          - {name: RL, slug: rl, description: d, phrases: [policy optimization, optimization]}
        """,
    )
    [match] = match_paper_themes(make_paper("Large Language Models (LLMs) and language models"), themes)
    assert (match.score, match.reasons) == (TITLE, ('title: "LLM"',))
    # "policy optimization" hides the "optimization" of its own theme inside it.
    [match] = match_paper_themes(make_paper("Policy optimization"), themes)
    assert match.reasons == ('title: "policy optimization"',)
    [match] = match_paper_themes(make_paper("Policy optimization, then optimization"), themes)
    assert match.reasons == ('title: "policy optimization"', 'title: "optimization"')


def test_a_longer_phrase_of_one_theme_hides_nothing_of_another(tmp_path):
    themes = themes_from(
        tmp_path,
        """\
        paper_themes:
          - {name: Retrieval, slug: retrieval, description: d, phrases: [knowledge graph]}
          - {name: Graphs, slug: graphs, description: d, phrases: [graph]}
        """,
    )
    matches = match_paper_themes(make_paper("Knowledge graph completion"), themes)
    assert {m.theme.slug: m.reasons for m in matches} == {
        "retrieval": ('title: "knowledge graph"',),
        "graphs": ('title: "graph"',),
    }


# (phrase word, word in a paper, whether the paper's word is a form of the phrase's)
WORD_FORMS = [
    ("agent", "agents", True), ("evaluate", "Evaluating", True), ("evaluate", "evaluation", True),
    ("policy", "policies", True), ("plan", "planning", True), ("plan", "planned", True),
    ("LLM", "LLMs", True), ("model", "modeling", True), ("retrieval", "retrieve", True),
    ("pre-training", "pretraining", True), ("arrival", "arrive", True),
    # Porter's stems join these; they are other words.
    ("optimizer", "optimal", False), ("optimizer", "optimization", False), ("tokenizer", "tokens", False),
    ("verifier", "verifiable", False), ("generation", "general", False), ("reasoning", "reasons", False),
    ("agent", "agency", False), ("physics", "physical", False), ("adapter", "adaptive", False),
    # Two forms of a third word are not each other's: "pre-trained" models are not pre-training.
    ("pre-training", "pre-trained", False),
    # An acronym has no forms but its plural.
    ("RAG", "ragged", False), ("AIME", "aims", False), ("RAG", "RAGs", True),
]


@pytest.mark.parametrize(("phrase", "word", "matches"), WORD_FORMS)
def test_word_forms_are_inflections_of_whole_words_not_porter_cousins(tmp_path, phrase, word, matches):
    themes = themes_from(tmp_path, f"paper_themes: [{{name: T, slug: t, description: d, phrases: ['{phrase}']}}]")
    assert slugs(match_paper_themes(make_paper(f"On {word} today"), themes)) == (["t"] if matches else ["other"])


def test_a_supporting_phrase_counts_only_beside_one_of_its_themes_own(tmp_path):
    themes = themes_from(
        tmp_path,
        """\
        paper_themes:
          - name: Interpretability
            slug: interpretability
            description: d
            phrases: [sparse autoencoder]
            supporting: [features]
            categories: [cs.LG]
        """,
    )
    assert slugs(match_paper_themes(make_paper("Better features for everyone"), themes)) == ["other"]
    [match] = match_paper_themes(make_paper("Features of a sparse autoencoder"), themes)
    assert (match.score, match.reasons) == (2 * TITLE, ('title: "sparse autoencoder"', 'title: "features"'))
    [match] = match_paper_themes(make_paper("Better features", categories=["cs.LG"]), themes)
    assert match.reasons == ("category: cs.LG", 'title: "features"')


def test_an_ignored_phrase_counts_for_nothing_and_hides_its_themes_shorter_ones(tmp_path):
    themes = themes_from(
        tmp_path,
        """\
        paper_themes:
          - {name: Reasoning, slug: reasoning, description: d, phrases: [reasoning], ignore: [spatial reasoning]}
          - {name: Spatial, slug: spatial, description: d, phrases: [spatial]}
        """,
    )
    assert slugs(match_paper_themes(make_paper("Spatial reasoning in robots"), themes)) == ["spatial"]
    [match] = match_paper_themes(make_paper("Reasoning about spatial reasoning"), themes)[:1]
    assert (match.theme.slug, match.reasons) == ("reasoning", ('title: "reasoning"',))


def test_equal_scores_go_to_the_more_specific_theme_not_the_first(tmp_path):
    themes = themes_from(
        tmp_path,
        """\
        paper_themes:
          - {name: LLMs, slug: llms, description: d, phrases: [LLM], only_if_best: true}
          - {name: Models, slug: models, description: d, phrases: [model]}
          - {name: Agents, slug: agents, description: d, phrases: [LLM agent]}
        """,
    )
    # Equal scores: the theme that is not only_if_best first (so the broad one is dropped),
    # then the one whose phrase has more words.
    assert slugs(match_paper_themes(make_paper("An LLM model"), themes)) == ["models"]
    assert slugs(match_paper_themes(make_paper("An LLM agent model"), themes)) == ["agents", "models"]


def test_a_broad_theme_is_kept_only_as_the_best(tmp_path):
    themes = themes_from(
        tmp_path,
        """\
        paper_themes:
          - {name: LLMs, slug: llms, description: d, phrases: [LLM], only_if_best: true}
          - {name: Agents, slug: agents, description: d, phrases: [agent, tool use]}
        """,
    )
    assert slugs(match_paper_themes(make_paper("LLM pretraining"), themes)) == ["llms"]
    assert slugs(match_paper_themes(make_paper("LLM agents for tool use"), themes)) == ["agents"]


def test_a_paper_matching_nothing_gets_the_catch_all(two_themes):
    [match] = match_paper_themes(make_paper("On the cohomology of sheaves"), two_themes)
    assert match.theme is two_themes[-1] is CATCH_ALL
    assert (match.theme.slug, match.theme.name) == ("other", "Other papers")
    assert match.reasons and match.score == 0


def test_load_returns_themes_in_file_order_then_the_catch_all(two_themes):
    assert [(t.slug, t.name) for t in two_themes] == [
        ("retrieval", "Retrieval"),
        ("agents", "Agents"),
        ("other", "Other papers"),
    ]
    assert [t.is_catch_all for t in two_themes] == [False, False, True]
    assert two_themes[0].description == "Retrieval-augmented generation."


# --- The fast matcher agrees with the rules written out plainly ---------------------------------

REFERENCE_TOKEN_RE = re.compile(r"\w+|[^\w\s-]")


@functools.lru_cache(maxsize=4)
def reference_phrases(paper_themes: tuple) -> tuple[list, list, dict]:
    """(word sequence, theme position, group, synonym, kind, phrase) of every phrase variant,
    (word sequence, theme position) of every exclude phrase variant, and the word forms.

    Words are compared as the matcher's ``WordForms`` makes them (each text word as the
    phrase word it is a form of: ``test_word_forms_*`` hold that to whole words); the rules
    on top of them are written out here the slow, plain way."""
    themes = [t for t in paper_themes if not t.is_catch_all]
    forms = phrase_index(paper_themes).forms
    phrases = [
        (tuple(forms[w] for w in variant), position, group, synonym, kind, phrase)
        for position, theme in enumerate(themes)
        for group, (synonyms, kind) in enumerate(
            [(g, "phrase") for g in theme.rules.phrases]
            + [(g, "supporting") for g in theme.rules.supporting]
            + [((p,), "ignore") for p in theme.rules.ignore]
        )
        for synonym, phrase in enumerate(synonyms)
        for variant in phrase_variants(phrase)
    ]
    excludes = [
        (tuple(forms[w] for w in v), position) for position, t in enumerate(themes) for p in t.rules.exclude for v in phrase_variants(p)
    ]
    return phrases, excludes, forms


def runs_of(sequence: tuple, words: list) -> list[int]:
    """Every start where ``sequence`` is a run of ``words``."""
    return [i for i in range(len(words) - len(sequence) + 1) if tuple(words[i : i + len(sequence)]) == sequence]


def reference_match_paper_themes(paper, paper_themes) -> list[PaperThemeMatch]:
    """The matching rules of the module docstring the slow, plain way (every phrase variant
    sought at every token, the regex tokeniser): the oracle for ``match_paper_themes``."""
    themes = [t for t in paper_themes if not t.is_catch_all]
    phrases, excludes, forms = reference_phrases(tuple(paper_themes))
    scores, reasons, excluded = defaultdict(float), defaultdict(list), set()
    supported, support_reasons, anchored, specificity = defaultdict(float), defaultdict(list), set(), defaultdict(int)
    texts = {"title": paper.title, "keywords": " ; ".join(paper.ai_keywords or ()), "abstract": paper.abstract or ""}
    for name, text in texts.items():
        words = [forms[w] for w in REFERENCE_TOKEN_RE.findall(text.lower())]
        excluded |= {position for variant, position in excludes if runs_of(variant, words)}
        counted = set()
        for theme in range(len(themes)):
            spans = [
                (start, start + len(variant), (group, synonym, kind, phrase))
                for variant, position, group, synonym, kind, phrase in phrases
                if position == theme and set(variant) <= set(words)
                for start in runs_of(variant, words)
            ]
            # For each theme, at each start its longest phrase counts, unless it ends within
            # one of its phrases counted before.
            reach = 0
            for start in sorted({start for start, _, _ in spans}):
                longest = max(end for s, end, _ in spans if s == start)
                if longest > reach:
                    counted |= {(theme, *hit) for s, end, hit in spans if (s, end) == (start, longest)}
                    reach = longest
        for position, group, kind in sorted({(p, g, kind) for p, g, _, kind, _ in counted}):
            synonym, phrase = min((y, text) for p, g, y, _, text in counted if (p, g) == (position, group))
            reason, weight = f'{name}: "{phrase}"', themes[position].rules.weights[name]
            if kind == "ignore":  # it only hides the theme's shorter phrases inside it
                continue
            if kind == "supporting":
                supported[position] += weight
                support_reasons[position].append(reason)
            else:
                anchored.add(position)
                scores[position] += weight
                reasons[position].append(reason)
                words_in_phrase = len([w for w in REFERENCE_TOKEN_RE.findall(phrase) if w[0].isalnum() or w[0] == "_"])
                specificity[position] = max(specificity[position], words_in_phrase)
    for position, theme in enumerate(themes):
        for category in getattr(paper, "categories", None) or []:
            if category in theme.rules.categories or category.split(".")[0] in theme.rules.categories:
                anchored.add(position)
                scores[position] += theme.rules.weights["categories"]
                reasons[position].append(f"category: {category}")
                break
    for position in anchored:
        scores[position] += supported[position]
        reasons[position] += support_reasons[position]
    kept = [p for p in sorted(anchored) if p not in excluded and scores[p] >= themes[p].rules.min_score]
    if not kept:
        catch_all = next((t for t in paper_themes if t.is_catch_all), CATCH_ALL)
        return [PaperThemeMatch(catch_all, 0, ("matches no theme",))]
    kept.sort(key=lambda p: (-scores[p], themes[p].rules.only_if_best, -specificity[p]))
    kept = [p for rank, p in enumerate(kept) if rank == 0 or not themes[p].rules.only_if_best]
    return [PaperThemeMatch(themes[p], scores[p], tuple(reasons[p])) for p in kept[:MAX_THEMES]]


DEFAULT_THEMES = load_paper_themes(ROOT / "themes.yml")

# Phrases with marks (so texts are tokenised telling marks apart), overlapping phrases,
# synonyms, excludes, categories, only_if_best and weights that are not whole numbers (the
# scores must add up in the same order to be equal floats).
MARKED_THEMES = """\
    weights: {title: 2.5, keywords: 1.25, abstract: 0.5, categories: 1.5}
    min_score: 1
    paper_themes:
      - name: Languages
        slug: languages
        description: d
        phrases: [["C++", "C#"], "A/B testing", [language model, LM], large language model, model]
        exclude: [sign language]
        categories: [cs.PL]
      - name: Vision
        slug: vision
        description: d
        phrases: [vision-language model, [image, picture], model merging, "GPT-4o", policy]
        only_if_best: true
        weights: {title: 3.1}
      - name: Models
        slug: models
        description: d
        phrases: [model, language, vision, "k-NN", "Q&A", policy optimization]
        supporting: [[image, pictures], agentic]
        ignore: [vision model, language policy]
        exclude: ["C#"]
        min_score: 2
        categories: [cs, q-bio]
      - name: Agents
        slug: agents
        description: d
        phrases: [large language, language model agent, model agent, [agent, agentic]]
        supporting: [model merging]
        ignore: [agent model]
        categories: [cs.MA]
"""


def phrase_pool(paper_themes) -> list[str]:
    """The phrases (of every kind) of ``paper_themes`` and each of their words."""
    rules = [t.rules for t in paper_themes[:-1]]
    phrases = {p for r in rules for group in (*r.phrases, *r.supporting, r.ignore, r.exclude) for p in group}
    return sorted(phrases | {word for phrase in phrases for word in re.split(r"[\s-]+", phrase)})


CASES = (str.lower, str.upper, str.title, str.capitalize, str.swapcase, lambda s: s)
ASCII_NOISE = ["the", "of", "we", "model's", "x2", "\x7f", "\x1f"]
UNICODE_NOISE = ["É", "ß", "İstanbul", "ﬁne", "\u212a", "naïve", "Ω", "日本", "e\u0301", "\u200b"]
ASCII_SEPARATORS = [" ", "  ", "-", " - ", "--", ", ", ". ", "; ", "/", "(", ") ", ":", "+", "_", "'", "#", "&"]
ASCII_SEPARATORS += ["\n", "\t", "\x00", "\x1c"]
UNICODE_SEPARATORS = ["\xa0", "\u2014", "\u2028", "\u3000"]


def texts_from(pool: list[str]) -> st.SearchStrategy[str]:
    """Texts of phrases from ``pool`` in any case, hyphenated, run together or pluralised,
    between words, marks and spaces: ASCII texts (most papers, tokenised with str methods)
    and texts with other unicode (tokenised with the regex)."""
    phrase = st.builds(
        lambda phrase, case, space, suffix: case(phrase).replace(" ", space) + suffix,
        st.sampled_from(pool),
        st.sampled_from(CASES),
        st.sampled_from([" ", "-", "", "  ", " - ", "\n"]),
        st.sampled_from(["", "", "s", "es", "ies", "S", "'s"]),
    )

    def texts(noise: list[str], separators: list[str], characters) -> st.SearchStrategy[str]:
        fragment = phrase | st.sampled_from(noise) | st.text(characters, max_size=4)
        return st.lists(st.tuples(fragment, st.sampled_from(separators)), max_size=24).map(
            lambda items: "".join(f + s for f, s in items)
        )

    return texts(ASCII_NOISE, ASCII_SEPARATORS, st.characters(max_codepoint=127)) | texts(
        ASCII_NOISE + UNICODE_NOISE, ASCII_SEPARATORS + UNICODE_SEPARATORS, st.characters()
    )


def papers_from(paper_themes) -> st.SearchStrategy[Paper]:
    texts = texts_from(phrase_pool(paper_themes))
    categories = sorted({c for t in paper_themes[:-1] for c in t.rules.categories} - {"cs", "q-bio"})
    categories += ["cs.LG", "q-bio.BM", "math.AG", "cs"]
    return st.builds(
        make_paper,
        title=texts,
        abstract=texts,
        keywords=st.lists(texts, max_size=4),
        categories=st.lists(st.sampled_from(categories), max_size=3),
    )


@given(st.text() | texts_from(phrase_pool(DEFAULT_THEMES)))
@example("C++ (k-NN), A/B-testing: Q&A\x00\x1c\x1f\x7f\u212a\u0130")
def test_tokens_are_what_the_regex_finds(text):
    assert tokens(text) == REFERENCE_TOKEN_RE.findall(text.lower())
    assert words_and_marks(text) == [
        MARK if text.lower().isascii() and re.fullmatch(r"[^\w\s-]", token) else token
        for token in tokens(text)
    ]


@given(papers_from(DEFAULT_THEMES))
@example(make_paper("Large Language Models (LLMs) and language models", "Vision-language models; nerve agents."))
def test_matching_agrees_with_the_reference_on_the_default_themes(paper):
    assert match_paper_themes(paper, DEFAULT_THEMES) == reference_match_paper_themes(paper, DEFAULT_THEMES)


@pytest.fixture(scope="module")
def marked_themes(tmp_path_factory):
    return themes_from(tmp_path_factory.mktemp("marked"), MARKED_THEMES)


def test_matching_agrees_with_the_reference_on_phrases_with_marks(marked_themes):
    @given(papers_from(marked_themes))
    @example(make_paper("C++ and A/B-testing with k-NN", "Q&A by GPT-4o", ["C#"], ["cs.PL", "q-bio.BM"]))
    @example(make_paper("Large language model agents", "Vision-language model merging; policy optimization"))
    @example(make_paper("Sign language models", "C# agents"))
    def agrees(paper):
        assert match_paper_themes(paper, marked_themes) == reference_match_paper_themes(paper, marked_themes)

    agrees()


# --- The YAML checks -------------------------------------------------------------------------

THEME = "  - name: Agents\n    slug: agents\n    description: d\n    phrases: [agent]\n"


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("paper_themes:\n  - name: [unclosed\n", 3, ["invalid YAML"]),
        ("paper_themes:\n" + THEME + "colour: blue\n", 6, ["unknown key 'colour'"]),
        ("paper_themes:\n  - name: Agents\n    slug: agents\n    description: d\n    phrase: [agent]\n", 5, ["unknown key 'phrase'", "phrases"]),
        ("paper_themes:\n  - name: Agents\n    slug: agents\n    description: d\n    phrases: agent\n", 5, ["phrases", "expected a list"]),
        ("paper_themes:\n  - name: Agents\n    slug: agents\n    description: d\n    phrases: []\n", 5, ["phrases", "empty"]),
        ("paper_themes:\n  - name: Agents\n    slug: agents\n    description: d\n    phrases: [agent, yes]\n", 5, ["phrases", "bool", "quote"]),
        ("paper_themes:\n  - name: Agents\n    slug: agents\n    description: d\n    phrases: [agent, Agent]\n", 5, ["phrases", "twice"]),
        ("paper_themes:\n  - name: Agents\n    slug: agents\n    description: d\n    exclude: [\"-\"]\n    phrases: [agent]\n", 5, ["exclude", "no letter"]),
        ("paper_themes:\n" + THEME + "  - name: Other agents\n    slug: agents\n    description: d\n    phrases: [bot]\n", 7, ["slug", "agents"]),
        ("paper_themes:\n  - name: Agents\n    slug: Agents_1\n    description: d\n    phrases: [agent]\n", 3, ["slug", "lowercase"]),
        ("paper_themes:\n  - name: Agents\n    slug: other\n    description: d\n    phrases: [agent]\n", 3, ["slug", "reserved"]),
        ("paper_themes:\n  - name: 42\n    slug: agents\n    description: d\n    phrases: [agent]\n", 2, ["name", "expected text"]),
        ("paper_themes:\n  - name: Agents\n    slug: agents\n    phrases: [agent]\n", 2, ["missing key 'description'"]),
        ("paper_themes:\n  - name: Agents\n    slug: agents\n    slug: bots\n    description: d\n    phrases: [agent]\n", 4, ["slug", "twice"]),
        ("paper_themes:\n" + THEME + "    min_score: high\n", 6, ["min_score", "expected a number"]),
        ("paper_themes:\n" + THEME + "    only_if_best: maybe\n", 6, ["only_if_best", "true or false"]),
        ("paper_themes:\n" + THEME + "    supporting: planning\n", 6, ["supporting", "expected a list"]),
        ("paper_themes:\n" + THEME + "    supporting: [planning, Agent]\n", 6, ["supporting", "twice"]),
        ("paper_themes:\n" + THEME + "    ignore: [user agent, User Agent]\n", 6, ["ignore", "twice"]),
        ("paper_themes:\n" + THEME + "    categories: [cs.RO, robots please]\n", 6, ["categories", "not an arXiv category"]),
        ("weights: {title: 3, body: 2}\npaper_themes:\n" + THEME, 1, ["weights", "unknown key 'body'"]),
        ("paper_themes: []\n", 1, ["paper_themes", "non-empty list"]),
        ("themes:\n" + THEME, 1, ["unknown key 'themes'"]),
    ],
)
def test_a_bad_themes_file_is_an_error_naming_file_line_and_key(tmp_path, text, line, words):
    path = tmp_path / "themes.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PaperThemesError) as error:
        load_paper_themes(path)
    message = str(error.value)
    assert message.startswith(f"{path}:{line}:"), message
    for word in words:
        assert word in message, message


def test_a_missing_themes_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(PaperThemesError, match="nowhere.yml"):
        load_paper_themes(tmp_path / "nowhere.yml")


# --- The default theme set -------------------------------------------------------------------


def test_the_default_theme_set_loads_and_covers_the_main_topics():
    themes = load_paper_themes(ROOT / "themes.yml")
    real = [t for t in themes if not t.is_catch_all]
    assert 15 <= len(real) <= 30
    assert themes[-1] is CATCH_ALL
    # The themes the evaluation set is labelled with (tests/fixtures/theme_labels/TAXONOMY.md).
    taxonomy = (ROOT / "tests" / "fixtures" / "theme_labels" / "TAXONOMY.md").read_text(encoding="utf-8")
    assert {t.slug for t in real} == set(re.findall(r"^\| `([a-z0-9-]+)` \|", taxonomy, re.M))


@pytest.mark.parametrize(
    "title, abstract, first",
    [
        ("Scaling Laws for Tokenizers in Large Language Models", "We pretrain LLMs with several vocabularies.", "llms"),
        ("LLM Agents that Browse the Web", "An LLM agent uses tools and a browser.", "agents"),
        ("Speech Synthesis with Language Models", "A text-to-speech language model.", "speech-audio"),
        ("Storage-Efficient Fragment Caching", "A note on disks.", "other"),
    ],
)
def test_the_default_theme_set_puts_the_subject_first(title, abstract, first):
    themes = load_paper_themes(ROOT / "themes.yml")
    assert match_paper_themes(make_paper(title, abstract), themes)[0].theme.slug == first


# --- The build ---------------------------------------------------------------------------------


def test_the_build_gives_every_paper_its_themes(replayed_content, tmp_path):
    from paper_pages.generator import PaperPagesGenerator
    from papers.catalog import CATALOG

    seen = {}

    def keep(generators):
        [generator] = [g for g in generators if isinstance(g, PaperPagesGenerator)]
        seen["papers"] = generator.context[CATALOG].entries
        seen["paper_themes"] = generator.context["PAPER_THEMES"]

    with signals.all_generators_finalized.connected_to(keep):
        build_site(replayed_content, tmp_path / "output")
    paper_themes = seen["paper_themes"]
    assert [t.slug for t in paper_themes] == [t.slug for t in load_paper_themes(ROOT / "themes.yml")]
    assert paper_themes[-1].slug == "other"
    assert len(seen["papers"]) == len(list(replayed_content.rglob("*.md")))
    for entry in seen["papers"]:
        matches = entry.paper_themes
        assert 1 <= len(matches) <= MAX_THEMES
        assert all(match.theme in paper_themes and match.reasons for match in matches)
        assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    envharness = next(e for e in seen["papers"] if e.arxiv_id == "2608.19880")
    assert envharness.paper_themes[0].theme.slug == "agents"
    assert 'title: "agent"' in envharness.paper_themes[0].reasons


def test_a_bad_themes_file_stops_the_build(replayed_content, tmp_path):
    bad = write_themes(tmp_path, "paper_themes:\n  - name: Agents\n    slug: agents\n    descripton: d\n")
    with pytest.raises(PaperThemesError, match=r"themes\.yml:4: .*unknown key 'descripton'"):
        build_site(replayed_content, tmp_path / "output", PAPER_THEMES_FILE=str(bad))


# --- The report ---------------------------------------------------------------------------------


def test_the_report_reads_a_content_directory_and_fails_on_missed_targets(replayed_content, capsys):
    assert themes_report.main(["--corpus", str(replayed_content), "--min-real-share", "0", "--max-theme-share", "1"]) == 0
    out = capsys.readouterr().out
    for theme in load_paper_themes(ROOT / "themes.yml"):
        assert f"\n{theme.slug} " in out
    assert "in a real theme:" in out and "3 themes:" in out
    assert themes_report.main(["--corpus", str(replayed_content), "--max-theme-share", "0.01"]) == 1
    assert "FAIL: theme" in capsys.readouterr().err


@pytest.mark.skipif(not CORPUS.is_file(), reason=f"scale test: the shared corpus {CORPUS} is absent")
def test_the_default_theme_set_meets_its_targets_on_the_shared_corpus(capsys):
    """At least 90% of the 8,600-paper archive in a real theme, no theme over 25%."""
    assert themes_report.main(["--corpus", str(CORPUS), "--examples", "0"]) == 0, capsys.readouterr().err
