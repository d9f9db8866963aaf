"""Degeneration metrics on hand-written samples: real Java scores high, loops and garbage low."""
import math
import random

import pytest

from rlvr.degeneration import (char_diversity, coherence_score, degeneration_summary, distinct_n,
                               entropy_spike, is_trivial_body, java_token_frac, lexemes,
                               longest_repeat_run, loss_tier, repeated_ngram_frac)

BST_INSERT = """
        if (node == null) {
            size++;
            return new Node(key, value);
        }
        int cmp = key.compareTo(node.key);
        if (cmp < 0) {
            node.left = insert(node.left, key, value);
        } else if (cmp > 0) {
            node.right = insert(node.right, key, value);
        } else {
            node.value = value;
        }
        return node;
    }
}"""
BST_SEARCH = """
        Node cur = root;
        while (cur != null) {
            if (key < cur.key) {
                cur = cur.left;
            } else if (key > cur.key) {
                cur = cur.right;
            } else {
                return cur.value;
            }
        }
        return null;
    }
}"""
# Legit repetition: `return null;` three times, `}` at falling indentation.
RETURN_NULLS = """
        if (root == null) {
            return null;
        }
        if (key == null) {
            return null;
        }
        Node found = find(root, key);
        if (found == null) {
            return null;
        }
        return found.value;
    }
}"""
GENERICS = """
        List<Map<String, List<Integer>>> out = new ArrayList<>();
        for (Map.Entry<String, ?> e : index.entrySet()) {
            out.add(Collections.<String, List<Integer>>emptyMap());
        }
        return out.isEmpty() ? -1 : out.size();
    }
}"""
S_LOOP = "\n        return new.Invalid(this.nameOf.Value" + ".S" * 80
REGION = "region " * 40
BRACES = "}" * 60
_rng = random.Random(0)
GARBAGE_BYTES = bytes(_rng.randrange(256) for _ in range(300)).decode("utf-8", errors="replace")
QUOTES = "''''' ''''' '' ''' '' ''' '''?' ''' ' '' '' '"
REPEATED_METHOD = "\n    public int size() {\n        return size(root);\n    }\n" * 6

REAL = {"bst_insert": BST_INSERT, "bst_search": BST_SEARCH, "return_nulls": RETURN_NULLS, "generics": GENERICS}
DEGENERATE = {"s_loop": S_LOOP, "region": REGION, "braces": BRACES, "garbage_bytes": GARBAGE_BYTES,
              "quotes": QUOTES, "repeated_method": REPEATED_METHOD}


@pytest.mark.parametrize("name", REAL)
def test_real_java_scores_high(name):
    text = REAL[name]
    assert java_token_frac(text) == 1.0
    assert coherence_score(text) >= 70


@pytest.mark.parametrize("name", DEGENERATE)
def test_loops_and_garbage_score_low(name):
    assert coherence_score(DEGENERATE[name]) <= 30


def test_empty_text_scores_zero():
    assert coherence_score("") == 0.0
    assert coherence_score("   \n ") == 0.0
    assert degeneration_summary([]) == {}


def test_token_ids_are_used_as_units():
    # The same text scored on a looping id sequence is penalised; on distinct ids it is not.
    assert coherence_score(BST_SEARCH, token_ids=list(range(90))) >= 70
    assert coherence_score(BST_SEARCH, token_ids=[7, 8] * 45) <= 30


def test_distinct_n():
    assert distinct_n(["a", "b", "c", "d"], 2) == 1.0
    assert distinct_n(["a"] * 10, 1) == pytest.approx(0.1)
    assert distinct_n(["a"], 2) == 0.0  # no bigram at all


def test_longest_repeat_run_counts_from_the_second_copy():
    assert longest_repeat_run(list("abcdef")) == 0
    assert longest_repeat_run(list("abab")) == 2
    assert longest_repeat_run(list("aba")) == 0  # no full extra copy
    assert longest_repeat_run(list("xabababay")) == 5  # period 2, trailing partial copy counts
    assert longest_repeat_run(lexemes(".S" * 50)) == 98
    assert longest_repeat_run(lexemes(REGION)) >= 0.9 * len(lexemes(REGION))
    # Closing braces at falling indentation are not periodic.
    assert longest_repeat_run(lexemes("            }\n        }\n    }\n}")) == 0


def test_repeated_ngram_frac():
    assert repeated_ngram_frac(list("abcdefgh"), 4) == 0.0
    assert repeated_ngram_frac(list("abcabcabc"), 3) == pytest.approx(4 / 7)
    assert repeated_ngram_frac(["a"], 4) == 0.0


def test_char_diversity_and_java_token_frac():
    assert char_diversity("}}}}}}") == pytest.approx(1 / 6)
    assert char_diversity(BST_INSERT) == 1.0
    assert java_token_frac(S_LOOP) < 0.1  # one 160-char whitespace-free stretch
    assert java_token_frac(GARBAGE_BYTES) < 0.1
    assert java_token_frac("x = ;") < 1.0
    assert java_token_frac("a[i) = 1;") < 1.0  # `[` closed by `)`
    assert java_token_frac('String s = "a#b"; // # in a comment') == 1.0
    assert java_token_frac("") == 0.0


def test_entropy_spike():
    flat = [0.5] * 30
    assert entropy_spike(flat) is None
    spiked = [0.5] * 12 + [3.0] + [0.2] * 10 + [4.0]
    assert entropy_spike(spiked) == 12  # the first spike, not the largest
    assert entropy_spike([0.5] * 4 + [5.0], window=8) is None  # too short to judge


def test_loss_tiers_follow_seed_002s_table():
    # the table's own rows land in their own tier
    assert [loss_tier(x) for x in (0.0, 0.13, 0.30, 0.70, 1.00, 1.05, 2.00, 1.94, 3.00, 5.00, 9.04)] == \
        ["memorised", "memorised", "recall", "textbook", "constraint", "constraint", "imprecise", "imprecise",
         "vocabulary", "early", "random"]
    assert loss_tier(0.19) == "memorised" and loss_tier(0.2) == "recall"  # the sub-0.2 alert
    assert loss_tier(math.nan) == "random" and loss_tier(math.inf) == "random"  # a token the model gave p=0


def test_degeneration_summary_keys_and_means():
    summary = degeneration_summary([BST_INSERT, REGION, REGION])
    assert set(summary) == {"degeneration/repeat_frac", "degeneration/distinct_1",
                            "degeneration/distinct_2", "degeneration/distinct_3",
                            "degeneration/longest_run", "degeneration/unique_frac", "coherence/score"}
    assert summary["coherence/score"] == pytest.approx(
        (coherence_score(BST_INSERT) + 2 * coherence_score(REGION)) / 3)
    assert summary["degeneration/unique_frac"] == pytest.approx(2 / 3)
    assert 0.5 < summary["degeneration/longest_run"] < 0.7  # two samples nearly all loop, one none


@pytest.mark.parametrize("completion", [
    "\n    }\n}", "", "\n        return;\n    }\n}", "\n        return 0;\n    }\n}",
    "\n        return -1;\n    }\n}", "\n        return null;\n    }\n}", " return false; }",
    " return true; }", ' return ""; }', "\n        return new ArrayList<>();\n    }\n}",
    " return new HashMap<String, Integer>(); }", " return new int[0]; }",
    ' throw new UnsupportedOperationException("todo"); }',
    # a boxed type's constant: NaN passes HumanEval-X Java/32's `abs(poly(x)) > 1e-4` check (red team)
    "\n        return Double.NaN;\n    }\n}", " return Integer.MAX_VALUE; }", " return -Long.MIN_VALUE; }",
    "\n        // nothing to do\n        return 0;\n    }\n\n    public int other() {\n        return 1;\n    }\n}",
])
def test_trivial_bodies(completion):
    assert is_trivial_body(completion)


@pytest.mark.parametrize("completion", [
    BST_INSERT, BST_SEARCH, " return size; }", " return root == null; }", " return x + 1; }",
    " size = 0; return 0; }", " return Math.max(a, b); }", " return Integer.valueOf(size); }",
])
def test_non_trivial_bodies(completion):
    assert not is_trivial_body(completion)
