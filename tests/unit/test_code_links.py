"""papers.code_links: repository links read out of a paper's Hugging Face field, arXiv
comment and abstract.

The texts are real: copied from the arXiv listing archive (../shared/corpus/
arxiv_listing_archive.jsonl.gz, fields ``comment`` and ``summary``) and the Hugging Face
archive (``githubRepo``), each test naming the paper it came from.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papers.code_links import ABSTRACT, ARXIV_COMMENT, HUGGING_FACE, MAX_LINKS, CodeLink, code_links
from papers.model import Paper


def paper(github_repo=None, comment=None, abstract=None):
    return SimpleNamespace(github_repo=github_repo, arxiv_comment=comment, abstract=abstract)


def urls(text, field="abstract"):
    """The URLs found in ``text`` as the paper's ``field``."""
    return [link.url for link in code_links(paper(**{field: text}))]


# (paper id, text from its abstract, the repositories it names)
ABSTRACTS = [
    # A sentence's full stop after the link.
    ("2603.17625", "Code is available at https://github.com/Powertony102/S-VGGT.", ["https://github.com/Powertony102/S-VGGT"]),
    # .git, then the full stop, after arXiv's hard line break.
    ("2503.21125", "Code is available at\nhttps://github.com/easyoo/Omni-AD.git.", ["https://github.com/easyoo/Omni-AD"]),
    # No scheme.
    ("2511.05404", "Code and models will be released at github.com/DLR-RM/MPRF.", ["https://github.com/DLR-RM/MPRF"]),
    # www., with and without a scheme.
    ("2503.11787", "Our code is open-source and\navailable at https://www.github.com/sremedios/eclare.", ["https://github.com/sremedios/eclare"]),
    ("2504.18959", "The code is available at:\nwww.github.com/ka-mirul/R-Sparse-R-CNN.", ["https://github.com/ka-mirul/R-Sparse-R-CNN"]),
    # http:// is made https://.
    ("2605.24965", "Source code and model weights are available in http://github.com/mribrahim/deepfake", ["https://github.com/mribrahim/deepfake"]),
    # TeX escapes in the path.
    ("2503.17057", "Our codes are publicly\navailable on https://github.com/13204942/SSL\\_Cervical\\_Segmentation.",
     ["https://github.com/13204942/SSL_Cervical_Segmentation"]),
    # Deep links: a file, a branch, a release, a query string and a fragment (\#: TeX).
    ("2605.17911", "The dataset is provided at: https://github.com/HaydenMM/planetary-logic-benchmark/blob/main/pilot_benchmark.json",
     ["https://github.com/HaydenMM/planetary-logic-benchmark"]),
    ("2603.02286", "The code and dataset are released at: https://github.com/zyt95579/PDP\\_IOD/tree/main", ["https://github.com/zyt95579/PDP_IOD"]),
    ("2601.21972", "Our code is available at https://github.com/OpenMLRL/CoMLRL/releases/tag/v1.3.2.", ["https://github.com/OpenMLRL/CoMLRL"]),
    ("2505.00681", "reasoning traces will be publicly available under\nhttps://github.com/google-deepmind/neptune?tab=readme-ov-file\\#minerva.",
     ["https://github.com/google-deepmind/neptune"]),
    ("2601.08557", "with full code and experimental resources available at https://github.com/Simula/HEDGE#videohedge .", ["https://github.com/Simula/HEDGE"]),
    # \href{url}{the same url}: once; \href{…}{….git}: .git dropped in both.
    ("2512.03666", "Data and code will be released at: \\href{https://github.com/qaxuDev/ToG-Bench}{https://github.com/qaxuDev/ToG-Bench}..",
     ["https://github.com/qaxuDev/ToG-Bench"]),
    ("2506.02426", "The source codes and\ndataset are available at\n\\href{https://github.com/maryambrj/ALIEN.git}{https://github.com/maryambrj/ALIEN.git}.",
     ["https://github.com/maryambrj/ALIEN"]),
    # Inside TeX groups.
    ("2505.02971", "perturbation but were not able to find for the medical images.\n  \\footnote{https://github.com/anjilab/secure-private-ai}",
     ["https://github.com/anjilab/secure-private-ai"]),
    ("2508.12410", "Our\ncode is available for public:\n{\\color{blue}{https://github.com/JunZengz/SRMA-Mamba}}.", ["https://github.com/JunZengz/SRMA-Mamba"]),
    # The scheme glued to the word before, or split by a space.
    ("2506.09081", "The\nframework is publicly accessible athttps://github.com/flageval-baai/FlagEvalMM.", ["https://github.com/flageval-baai/FlagEvalMM"]),
    ("2503.21771", "The code is\navailable at https: //github.com/HongkLin/TIDE.", ["https://github.com/HongkLin/TIDE"]),
    # A repository named like a project page is on github.com: a repository.
    ("2503.15875", "For more information, visit the\nproject website: https://github.com/xiaomi-mlab/mila.github.io.",
     ["https://github.com/xiaomi-mlab/mila.github.io"]),
    # GitLab: a /-/ deep link, subgroups, a user name with dots, the sentence going on.
    ("2606.00076", "is available at https://gitlab.com/goncalo.coutinho/defocustrackerAI-main/-/tree/7e0f11f649ebad50e20dca5b9545f26ca303ebe0",
     ["https://gitlab.com/goncalo.coutinho/defocustrackerAI-main"]),
    ("2511.03416", "The code is publicly\navailable at:\nhttps://gitlab.com/radiology/prenatal-image-analysis/pca-3d-alignment.",
     ["https://gitlab.com/radiology/prenatal-image-analysis/pca-3d-alignment"]),
    ("2509.06464", "shape model along with the synthetic dataset publicly available on GitLab:\nhttps://gitlab.com/Erez.Posner/stomach_pytorch to facilitate",
     ["https://gitlab.com/Erez.Posner/stomach_pytorch"]),
    # Hugging Face: a dataset; hf.co, its short domain; a model beside an organization page.
    ("2510.07951", "AnimeText on HuggingFace:\nhttps://huggingface.co/datasets/deepghs/AnimeText", ["https://huggingface.co/datasets/deepghs/AnimeText"]),
    ("2509.06809", "and data publicly available.\n  https://github.com/sileod/reasoning_core\nhttps://hf.co/datasets/reasoning-core/rc1",
     ["https://github.com/sileod/reasoning_core", "https://huggingface.co/datasets/reasoning-core/rc1"]),
    ("2602.03766", "Code and pre-trained models are available at https://github.com/nblauch/fovi and https://huggingface.co/fovi-pytorch.",
     ["https://github.com/nblauch/fovi"]),
    # Several, in order: a project page on github.io (not code), a dataset, a repository, a Space.
    ("2601.21666", "Project page: https://vectorinstitute.github.io/sonic-o1/ Dataset: https://huggingface.co/datasets/vector-institute/sonic-o1 "
     "Github: https://github.com/vectorinstitute/sonic-o1 Leaderboard: https://huggingface.co/spaces/vector-institute/sonic-o1-leaderboard",
     ["https://huggingface.co/datasets/vector-institute/sonic-o1", "https://github.com/vectorinstitute/sonic-o1",
      "https://huggingface.co/spaces/vector-institute/sonic-o1-leaderboard"]),
    # Not repositories: the bare host, owner-only pages, collections, a double slash.
    ("2503.13740", "The source code will\nbe made publicly available at www.github.com.", []),
    ("2503.16563", "The models are publicly\navailable at huggingface.co/inceptionai.", []),
    ("2503.20568", "We\nrelease the data at\nhttps://huggingface.co/collections/NLP-FBK/e3c-projected-676a7d6221608d60e4e9fd89", []),
    ("2509.01322", "  Hugging Face: https://huggingface.co/meituan-longcat\n  GitHub: https://github.com/meituan-longcat", []),
    ("2601.22853", "Our code is available at https://github.com//siyi-wind/DyMo.", []),
    # Placeholders written before the repository existed.
    ("2507.09214", "(Code and dataset can be\nobtained at https://github.com/xxxx/xxx).", []),
    ("2509.12913", "Code is available at:\nhttps://github.com/to/be/released", []),
    # Cut short: a name GitHub cannot have (++), a name the line wrap broke at its hyphen.
    ("2504.04732", "The code will be made available at:https://github.com/DanielMing123/Inverse++", []),
    ("2504.13131", "The project is\npublicly available at https://github.com/lixinustc/KVQE-\nChallengeCVPR-NTIRE2025.", []),
    # \verb+…+: the + delimiter is read as part of the path, so the link is left out.
    ("2605.12026", "release our code at: \\verb+github.com/agr78/spectralViT+.", []),
]


@pytest.mark.parametrize(("arxiv_id", "text", "expected"), ABSTRACTS, ids=[case[0] for case in ABSTRACTS])
def test_real_abstracts(arxiv_id, text, expected):
    assert urls(text) == expected


# (paper id, its arXiv comment, the links as (url, label))
COMMENTS = [
    ("2606.08980", "The code is publicly available at \\href{https://github.com/Runsong123/EPS3D}{https://github.com/Runsong123/EPS3D}",
     [("https://github.com/Runsong123/EPS3D", "GitHub Runsong123/EPS3D")]),
    ("2508.20376", "Codes are available online:\n  \\url{https://github.com/mmm-cc/BIM\\_for\\_MTL}",
     [("https://github.com/mmm-cc/BIM_for_MTL", "GitHub mmm-cc/BIM_for_MTL")]),
    ("2602.13823", "The project page is [this URL](https://github.com/ZoengHN/Embed-RL)", [("https://github.com/ZoengHN/Embed-RL", "GitHub ZoengHN/Embed-RL")]),
    # https:, a line break, then //: arXiv folding a long comment.
    ("2503.21771", "The code is available at https:\n  //github.com/HongkLin/TIDE", [("https://github.com/HongkLin/TIDE", "GitHub HongkLin/TIDE")]),
    ("2510.14975", "Project Page: https://doby-xu.github.io/WithAnyone/; Code:\n  https://github.com/Doby-Xu/WithAnyone",
     [("https://github.com/Doby-Xu/WithAnyone", "GitHub Doby-Xu/WithAnyone")]),
    ("2507.08014", "Code: https://github.com/ACMCMC/risky-conversations Results:\n  https://huggingface.co/risky-conversations Visualizer:\n"
     "  https://huggingface.co/spaces/risky-conversations/Visualizer",
     [("https://github.com/ACMCMC/risky-conversations", "GitHub ACMCMC/risky-conversations"),
      ("https://huggingface.co/spaces/risky-conversations/Visualizer", "Hugging Face Space risky-conversations/Visualizer")]),
    ("2606.29024", "8 pages, 3 figures, 3 tables. Code: https://github.com/Aditya-PS-05/indictrans2-conversational Model: "
     "https://huggingface.co/adipras1407/indictrans2-en-indic-1B-conversational",
     [("https://github.com/Aditya-PS-05/indictrans2-conversational", "GitHub Aditya-PS-05/indictrans2-conversational"),
      ("https://huggingface.co/adipras1407/indictrans2-en-indic-1B-conversational", "Hugging Face model adipras1407/indictrans2-en-indic-1B-conversational")]),
    # A blog post and a collection are not repositories; the dataset is.
    ("2602.04605", "Blog: https://huggingface.co/blog/thebajajra/rexbert-encoders Models: https://huggingface.co/collections/thebajajra/rexbert "
     "Ecom-niverse Dataset: https://huggingface.co/datasets/thebajajra/Ecom-niverse",
     [("https://huggingface.co/datasets/thebajajra/Ecom-niverse", "Hugging Face dataset thebajajra/Ecom-niverse")]),
    # Hugging Face deep links: a folder, the dataset viewer.
    ("2504.13189", "The codes and the datasets can be accessed from\n  "
     "https://huggingface.co/datasets/sohomghosh/BASIR_Budget_Assisted_Sectoral_Impact_Ranking/tree/main/",
     [("https://huggingface.co/datasets/sohomghosh/BASIR_Budget_Assisted_Sectoral_Impact_Ranking",
       "Hugging Face dataset sohomghosh/BASIR_Budget_Assisted_Sectoral_Impact_Ranking")]),
    ("2505.03821", "Dataset:\n  https://huggingface.co/datasets/Gracjan/Isle/viewer/Isle-Brick-V2",
     [("https://huggingface.co/datasets/Gracjan/Isle", "Hugging Face dataset Gracjan/Isle")]),
    # A host that only starts like GitHub's (a project page).
    ("2503.12052", "Project page: https://human-tailor.github.com", []),
]


@pytest.mark.parametrize(("arxiv_id", "comment", "expected"), COMMENTS, ids=[case[0] for case in COMMENTS])
def test_real_comments(arxiv_id, comment, expected):
    links = code_links(paper(comment=comment))
    assert [(link.url, link.label) for link in links] == expected
    assert {link.source for link in links} <= {ARXIV_COMMENT}


@pytest.mark.parametrize(("arxiv_id", "github_repo", "expected"), [
    ("2503.16212", "https://github.com/QizhiPei/MathFusion", "https://github.com/QizhiPei/MathFusion"),
    ("2511.15700", "https://github.com/zli12321/FFGO-Video-Customization?tab=readme-ov-file", "https://github.com/zli12321/FFGO-Video-Customization"),
    ("2508.05748", "https://github.com/Alibaba-NLP/WebAgent//", "https://github.com/Alibaba-NLP/WebAgent"),
    ("2512.14531", "https://github.com/huawei-noah/noah-research/tree/master/VersatileFFN", "https://github.com/huawei-noah/noah-research"),
    ("2505.19973", "https://github.com/DFIR-Metric", None),  # an organization, not a repository
])
def test_hugging_faces_link(arxiv_id, github_repo, expected):
    links = code_links(paper(github_repo=github_repo))
    assert [link.url for link in links] == ([expected] if expected else [])
    assert all(link.source == HUGGING_FACE for link in links)


def test_hugging_faces_link_first_then_comment_then_abstract_each_repository_once():
    # 2503.16212: Hugging Face gives QizhiPei/MathFusion, its abstract (the end of it, here)
    # says "mathfusion"; the comment and the abstract's last sentence are added.
    links = code_links(paper(
        github_repo="https://github.com/QizhiPei/MathFusion",
        comment="Code: https://github.com/nblauch/fovi",
        abstract="Our\ndatasets, models, and code are publicly available at\nhttps://github.com/QizhiPei/mathfusion. See github.com/NBLAUCH/FOVI.",
    ))
    assert links == [
        CodeLink("https://github.com/QizhiPei/MathFusion", "GitHub QizhiPei/MathFusion", HUGGING_FACE),
        CodeLink("https://github.com/nblauch/fovi", "GitHub nblauch/fovi", ARXIV_COMMENT),
    ]


def test_at_most_a_handful_a_paper():
    # 2603.28554's comment names five repositories; 2601.21666's abstract three more.
    comment = (
        "Comments: 17 pages, 2 figures, 7 tables. ## Model Cards - https://huggingface.co/athrael-soju/HydraQwen3.5-4B - "
        "https://huggingface.co/athrael-soju/HydraQwen2.5-Omni-3B - https://huggingface.co/athrael-soju/ColQwen3.5-4B-controlled-baseline - "
        "https://huggingface.co/athrael-soju/DualHead-GritLM-Qwen3.5-4B ## Scripts & evals - https://github.com/athrael-soju/hydra"
    )
    abstract = ABSTRACTS[[case[0] for case in ABSTRACTS].index("2601.21666")][1]
    links = code_links(paper(comment=comment, abstract=abstract))
    assert len(links) == MAX_LINKS == 5
    assert links[0] == CodeLink("https://huggingface.co/athrael-soju/HydraQwen3.5-4B", "Hugging Face model athrael-soju/HydraQwen3.5-4B", ARXIV_COMMENT)
    assert links[-1].url == "https://github.com/athrael-soju/hydra" and all(link.source == ARXIV_COMMENT for link in links)


def test_a_real_paper_record():
    record = Paper(
        arxiv_id="2606.08980", title="EPS3D", authors=["A"], featured=["2026-06-10"], sources=["arxiv"],
        abstract="Data and code will be released at: \\href{https://github.com/qaxuDev/ToG-Bench}{https://github.com/qaxuDev/ToG-Bench}..",
        arxiv_comment="The code is publicly available at \\href{https://github.com/Runsong123/EPS3D}{https://github.com/Runsong123/EPS3D}",
    )
    assert [(link.url, link.source) for link in code_links(record)] == [
        ("https://github.com/Runsong123/EPS3D", ARXIV_COMMENT), ("https://github.com/qaxuDev/ToG-Bench", ABSTRACT)]


@pytest.mark.parametrize("text", [
    "github.com/orgs/google/repositories", "https://github.com/sponsors/someone", "https://github.com/topics/llm",
    "https://github.com/features/copilot", "https://github.com/marketplace/actions/x", "https://github.com/user-attachments/assets/abc",
    "https://github.com/openai", "https://github.com/openai/", "https://openai.github.io/repo", "https://api.github.com/repos/a/b",
    "mail me at someone@github.com/a", "https://huggingface.co/papers/2501.12345", "https://huggingface.co/docs/transformers/index",
    "https://huggingface.co/learn/nlp-course", "https://huggingface.co/join", "https://huggingface.co/settings/tokens",
    "https://huggingface.co/api/models/a", "https://huggingface.co/organizations/acme", "https://huggingface.co/datasets/acme",
    "https://huggingface.co/spaces", "https://gitlab.com/acme", "https://gitlab.com/explore/projects", "https://gitlab.com/-/snippets/1",
    "https://example.org/github.com/a/b", "https://github.com.evil.example/a/b", "https://github.community/t/x",
])
def test_pages_that_are_not_repositories(text):
    assert urls(text) == [] and urls(text, "comment") == []


@pytest.mark.parametrize("value", [
    None, 0, 3.5, True, b"https://github.com/a/b", ["https://github.com/a/b"], {"url": "https://github.com/a/b"}, object(),
    "", "javascript:alert(1)", "javascript:github.com/../..", "data:text/html,<script>alert(1)</script>",
    "github.com/../..", "https://github.com/./.", "https://github.com/../etc", "https://github.com/a/..", "https://github.com/%2e%2e/x",
    "https://github.com/a\u202eb/c", "https://github.com/\u0430dmin/repo",  # a Cyrillic а: not GitHub's characters
    "<a href=\"javascript:alert(1)\">github.com</a>", "\x00github.com/\x00/\x00",
    # Letters Unicode folds to an ASCII one (a dotted capital I, a dotless i): no host.
    "GİTHUB.com/foo/bar", "https://gıthub.com/foo/bar", "HUGGİNGFACE.co/datasets/a/b",
])
def test_hostile_values_give_nothing(value):
    for field in ("github_repo", "comment", "abstract"):
        assert code_links(paper(**{field: value})) == []
    assert code_links(None) == [] and code_links(42) == [] and code_links("https://github.com/a/b") == []


def test_hostile_text_around_a_real_link():
    html = '</dd><script>alert(1)</script><a href="https://github.com/a/b" onclick="x">https://github.com/a/b</a>\n\r\n\x00'
    assert urls(html) == ["https://github.com/a/b"]
    assert urls("javascript:github.com/evil/repo") == ["https://github.com/evil/repo"]  # made https: never the scheme given
    assert urls("https://github.com/a/b\"><script>") == ["https://github.com/a/b"]
    assert urls("https://github.com/a/b\nc/d") == ["https://github.com/a/b"]


def test_huge_input_stays_fast_and_bounded():
    assert urls("https://github.com/" + "a/" * 200_000) == ["https://github.com/a/a"]
    assert urls("github.com/o/r " * 100_000 + "https://github.com/late/repo") == ["https://github.com/o/r", "https://github.com/late/repo"]
    assert urls("https://" * 200_000) == [] and urls("\\_" * 200_000) == []
    many = " ".join(f"https://github.com/o/r{i}" for i in range(10_000))
    assert len(urls(many)) == MAX_LINKS


HOSTS = ("https://github.com/", "https://gitlab.com/", "https://huggingface.co/")
link_like = st.lists(
    st.sampled_from(["https://", "http://", "www.", "github.com", "gitlab.com", "huggingface.co", "hf.co", "/", "datasets", "spaces",
                     "a", "B.c", "..", ".", ".git", "-", "_", "\\_", "\\url{", "}", "?x=1", "#f", "/-/", "tree", " ", "\n", "é", "%", "+", "@"]),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(github_repo=st.one_of(st.none(), st.integers(), link_like, st.text()),
       comment=st.one_of(st.none(), link_like, st.text()), abstract=st.one_of(st.none(), link_like, st.text()))
def test_never_raises_and_returns_only_https_repository_urls(github_repo, comment, abstract):
    links = code_links(paper(github_repo, comment, abstract))
    assert len(links) <= MAX_LINKS
    assert len({link.url.lower() for link in links}) == len(links)
    for link in links:
        assert link.url.startswith(HOSTS) and link.url.isascii() and not link.url.endswith("/")
        path = link.url.split("/", 3)[3].split("/")
        assert len(path) >= 2 and all(part and part not in (".", "..") for part in path)
        repository = path[1:] if link.url.startswith(("https://huggingface.co/datasets/", "https://huggingface.co/spaces/")) else path
        assert link.source in (HUGGING_FACE, ARXIV_COMMENT, ABSTRACT) and link.label.endswith(" " + "/".join(repository))
