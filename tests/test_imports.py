"""What ``import briefing`` loads, and how nltk is imported (each in a fresh interpreter)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest


def _run(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; return the JSON object it prints last."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


HEAVY = ("numpy", "scipy", "nltk", "sumy", "docx", "datasketch", "lxml", "trafilatura")


def test_import_briefing_loads_none_of_the_pipeline_libraries() -> None:
    found = _run(
        f"""
        import json, sys
        import briefing
        options = briefing.BriefingOptions  # an option class is not the pipeline
        try:
            raise briefing.InputError("a.txt", "empty")
        except briefing.BriefingError:
            pass
        print(json.dumps({{"loaded": [m for m in {HEAVY!r} if m in sys.modules]}}))
        """
    )
    assert found["loaded"] == []


def test_api_names_stay_functions_when_their_stage_modules_are_imported() -> None:
    found = _run(
        """
        import importlib, json
        import briefing
        import briefing.cli  # imports the stage modules briefing.load, .rank, .classify
        stages = [importlib.import_module(f"briefing.{n}") for n in ("load", "rank", "classify")]
        print(json.dumps({
            "functions": [callable(briefing.load), callable(briefing.rank),
                          callable(briefing.classify)],
            "same": [briefing.load is briefing.api.load, briefing.rank is briefing.api.rank,
                     briefing.classify is briefing.api.classify],
            "stages": [hasattr(stages[0], "READERS"), hasattr(stages[1], "RANKERS"),
                       hasattr(stages[2], "CLASSIFIERS")],
            "listed": all(name in dir(briefing) for name in briefing.__all__),
        }))
        """
    )
    assert found == {
        "functions": [True, True, True],
        "same": [True, True, True],
        "stages": [True, True, True],
        "listed": True,
    }


def test_unknown_attribute_is_an_attribute_error() -> None:
    found = _run(
        """
        import json
        import briefing
        try:
            briefing.no_such_name
        except AttributeError as error:
            print(json.dumps({"error": str(error)}))
        """
    )
    assert "no_such_name" in found["error"]


def test_splitting_imports_punkt_and_not_the_rest_of_nltk() -> None:
    found = _run(
        """
        import json, sys
        import briefing
        sentences = briefing.split_sentences("Dr. Chen spoke first. The vote came later.")
        print(json.dumps({"sentences": sentences,
                          "nltk": sorted(m for m in sys.modules if m.startswith("nltk")),
                          "stats": "scipy.stats" in sys.modules}))
        """
    )
    assert found["sentences"] == ["Dr. Chen spoke first.", "The vote came later."]
    assert "nltk.tokenize.punkt" in found["nltk"]
    assert "nltk" not in found["nltk"]  # made, but its __init__ not run
    assert len(found["nltk"]) < 20  # of nltk's 400 modules
    assert found["stats"] is False


def test_nltk_imported_after_splitting_is_whole_and_shares_punkt() -> None:
    found = _run(
        """
        import json, sys
        import briefing
        briefing.split_sentences("One. Two.")
        punkt = sys.modules["nltk.tokenize.punkt"]
        import nltk
        import nltk.tokenize.punkt
        from nltk.stem.snowball import SnowballStemmer
        from sumy.nlp.stemmers import Stemmer
        print(json.dumps({
            "same": nltk.tokenize.punkt is punkt,
            "exported": nltk.tokenize.PunktSentenceTokenizer is punkt.PunktSentenceTokenizer,
            "tokens": nltk.wordpunct_tokenize("Dr. Who, again."),
            "snowball": SnowballStemmer("english").stem("running"),
            "sumy": Stemmer("english")("running"),
            "split": briefing.split_sentences("Three. Four."),
        }))
        """
    )
    assert found == {
        "same": True,
        "exported": True,
        "tokens": ["Dr", ".", "Who", ",", "again", "."],
        "snowball": "run",
        "sumy": "run",
        "split": ["Three.", "Four."],
    }


def test_a_spec_lookup_between_splitting_and_importing_nltk_leaves_it_whole() -> None:
    # Libraries ask find_spec("nltk") to learn whether nltk is installed; that must not use
    # up the package made for Punkt, nor leave nltk without what was imported with Punkt.
    found = _run(
        """
        import importlib.resources, importlib.util, json, pkgutil
        import briefing
        briefing.split_sentences("One. Two.")
        importlib.util.find_spec("nltk")
        import nltk
        print(json.dumps({
            "bound": [hasattr(nltk, m) for m in ("internals", "tabdata", "probability")],
            "callable": callable(nltk.internals.find_binary),
            "data": pkgutil.get_data("nltk", "VERSION").decode().strip(),
            "files": importlib.resources.files("nltk").joinpath("VERSION").read_text().strip(),
            "version": nltk.__version__,
        }))
        """
    )
    assert found["bound"] == [True, True, True]
    assert found["callable"] is True
    assert found["data"] == found["files"] == found["version"]


def test_a_module_that_fails_half_imported_alone_is_imported_with_nltk_whole() -> None:
    # Snowball imports nltk's corpus readers, which need nltk's __init__ to have run: the
    # attempt fails after importing a dozen modules, which are taken back.
    found = _run(
        """
        import json, sys
        from briefing import nltk_import
        nltk_import.UNRUN_PACKAGES["nltk.stem.snowball"] = ("nltk", "nltk.stem")
        snowball = nltk_import.import_nltk("nltk.stem.snowball")
        import nltk
        print(json.dumps({"stem": snowball.SnowballStemmer("english").stem("running"),
                          "same": nltk.stem.snowball is snowball,
                          "whole": "nltk.corpus" in sys.modules and hasattr(nltk, "corpus")}))
        """
    )
    assert found == {"stem": "run", "same": True, "whole": True}


def test_when_punkt_cannot_be_imported_alone_nltk_is_imported_whole() -> None:
    found = _run(
        """
        import json, sys
        from briefing import nltk_import
        nltk_import.UNRUN_PACKAGES["nltk.tokenize.punkt"] = ("nltk", "nltk.no_such_package")
        import briefing
        sentences = briefing.split_sentences("Dr. Chen spoke first. The vote came later.")
        import nltk
        print(json.dumps({"sentences": sentences, "whole": "nltk.stem" in sys.modules,
                          "punkt": nltk.tokenize.punkt is sys.modules["nltk.tokenize.punkt"]}))
        """
    )
    assert found == {
        "sentences": ["Dr. Chen spoke first.", "The vote came later."],
        "whole": True,
        "punkt": True,
    }


def test_nltk_is_imported_whole_without_scipy_stats_and_fisher_still_works() -> None:
    found = _run(
        """
        import importlib, json, sys
        sys.modules["sklearn"] = None  # as where scikit-learn is not installed
        import briefing
        from briefing.nltk_import import import_nltk
        briefing.split_sentences("One. Two.")
        import_nltk("nltk")
        stats_loaded = "scipy.stats" in sys.modules
        BigramAssocMeasures = importlib.import_module(
            "nltk.metrics.association").BigramAssocMeasures
        fisher = BigramAssocMeasures.fisher(20, (42, 20), 14307668)
        from scipy.stats import fisher_exact
        expected = fisher_exact([[20, 22], [0, 14307646]], alternative="less")[1]
        print(json.dumps({"stats_loaded": stats_loaded, "fisher": fisher,
                          "expected": float(expected)}))
        """
    )
    assert found["stats_loaded"] is False
    assert found["fisher"] == found["expected"]


def test_a_brief_of_one_article_imports_no_scipy_sparse(examples, tmp_path) -> None:
    # One article compares nothing and clusters nothing; nltk's parser, which asks for
    # scipy.sparse, needs scikit-learn anyway.  scipy.sparse costs 0.07 s to import.
    article = next(examples.glob("kestrel-*"))
    found = _run(
        f"""
        import json, sys
        sys.modules["sklearn"] = None  # as where scikit-learn is not installed
        import briefing
        brief = briefing.build({str(article)!r})
        brief.to_docx({str(tmp_path / "brief.docx")!r})
        print(json.dumps({{"sparse": "scipy.sparse" in sys.modules,
                           "bullets": sum(len(s.items) for s in brief.sections)}}))
        """
    )
    assert found["bullets"] > 0
    assert found["sparse"] is False


def test_nltk_is_imported_as_is_when_scipy_stats_is_already_there() -> None:
    found = _run(
        """
        import importlib, json
        import scipy.stats
        from briefing.nltk_import import import_nltk
        import_nltk("nltk")
        association = importlib.import_module("nltk.metrics.association")
        print(json.dumps({"own": association.fisher_exact is scipy.stats.fisher_exact}))
        """
    )
    assert found["own"] is True


def test_with_scikit_learn_installed_nltk_is_imported_as_is() -> None:
    # nltk imports scikit-learn, which needs scipy.stats: hiding it would break both.
    found = _run(
        """
        import importlib.util, json, sys
        from briefing.nltk_import import import_nltk
        import_nltk("nltk")
        print(json.dumps({"sklearn": importlib.util.find_spec("sklearn") is not None,
                          "stats": "scipy.stats" in sys.modules,
                          "broken": [m for m in sys.modules
                                     if m.startswith("sklearn.") and "sklearn" not in sys.modules]}))
        """
    )
    assert found["broken"] == []
    if not found["sklearn"]:
        pytest.skip("scikit-learn is not installed here")
    assert found["stats"] is True


def test_another_thread_imports_scipy_stats_while_nltk_is_imported() -> None:
    found = _run(
        """
        import importlib, json, sys, threading
        sys.modules["sklearn"] = None
        from briefing.nltk_import import import_nltk
        errors, done = [], threading.Event()
        def other():
            while not done.is_set():
                try:
                    importlib.import_module("scipy.stats")
                except ImportError as error:
                    errors.append(str(error))
        thread = threading.Thread(target=other)
        thread.start()
        import_nltk("nltk")
        done.set()
        thread.join()
        print(json.dumps({"errors": errors[:3]}))
        """
    )
    assert found["errors"] == []
