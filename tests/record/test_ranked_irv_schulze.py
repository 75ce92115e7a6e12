"""IRV (protocol 15.7) and Schulze (15.8) against published examples and their edges."""

from __future__ import annotations

from tests.record.ranked_kit import ballots, count, names

TENNESSEE = ["Memphis", "Nashville", "Chattanooga", "Knoxville"]
TENNESSEE_BALLOTS = ballots(
    TENNESSEE,
    (42, "Memphis>Nashville>Chattanooga>Knoxville"),
    (26, "Nashville>Chattanooga>Knoxville>Memphis"),
    (15, "Chattanooga>Knoxville>Nashville>Memphis"),
    (17, "Knoxville>Chattanooga>Nashville>Memphis"))
"""The Tennessee capital election (100 voters in proportion to the cities'
populations) of the Wikipedia articles "Instant-runoff voting" and
"Condorcet method"."""


def test_irv_elects_knoxville_in_the_tennessee_example() -> None:
    # Wikipedia, "Instant-runoff voting", the Tennessee example: Chattanooga
    # (15) is excluded first and its votes go to Knoxville (32); Nashville
    # (26) is excluded next and Knoxville wins with 58 of 100.
    result = count(TENNESSEE, TENNESSEE_BALLOTS, method="irv")
    rounds = result.rounds
    assert [r["tallies"] for r in rounds] == [[42, 26, 15, 17], [42, 26, 0, 32], [42, 0, 0, 58]]
    assert [names(result, r["excluded"]) for r in rounds] == [[], ["Chattanooga"], ["Nashville"]]
    assert names(result, result.elected) == ["Knoxville"]
    assert rounds[2]["continuing_votes"] == 100


def test_schulze_elects_the_condorcet_winner_nashville() -> None:
    # Wikipedia, "Condorcet method", the same Tennessee example: Nashville
    # beats each other city one to one (68-32, 68-32, 58-42).
    result = count(TENNESSEE, TENNESSEE_BALLOTS, method="schulze")
    d = result.body["pairwise"]
    assert (d[1][0], d[1][2], d[1][3]) == (58, 68, 68)
    assert names(result, result.elected) == ["Nashville"]


SCHULZE = ["A", "B", "C", "D", "E"]
SCHULZE_BALLOTS = ballots(
    SCHULZE, (5, "A>C>B>E>D"), (5, "A>D>E>C>B"), (8, "B>E>D>A>C"), (3, "C>A>B>E>D"),
    (7, "C>A>E>B>D"), (2, "C>B>A>D>E"), (7, "D>C>E>B>A"), (8, "E>B>A>D>C"))
"""Wikipedia, "Schulze method", section "Example": 45 voters, 5 candidates."""


def test_the_45_voter_example_of_the_wikipedia_schulze_article() -> None:
    # The article's matrix of pairwise preferences d[*,*], its strongest paths
    # p[*,*], the winner E and the order E > A > C > B > D.
    result = count(SCHULZE, SCHULZE_BALLOTS, method="schulze", seats=4)
    assert result.body["pairwise"] == [
        [0, 20, 26, 30, 22],
        [25, 0, 16, 33, 18],
        [19, 29, 0, 17, 24],
        [15, 12, 28, 0, 14],
        [23, 27, 21, 31, 0]]
    assert result.rounds[0]["strongest"] == [
        [0, 28, 28, 30, 24],
        [25, 0, 28, 33, 24],
        [25, 29, 0, 29, 24],
        [25, 28, 28, 0, 24],
        [25, 28, 28, 31, 0]]
    assert result.rounds[0]["winners"] == [4]
    assert names(result, result.elected) == ["E", "A", "C", "B"]


def test_irv_needs_a_majority_of_the_continuing_votes_only() -> None:
    # After C is excluded 2 of its 3 papers are exhausted: A's 5 of the 9
    # continuing votes are a majority although 5 of 11 papers are not.
    options = ["A", "B", "C"]
    result = count(options, ballots(options, (5, "A"), (3, "B"), (2, "C"), (1, "C>B")),
                   method="irv")
    last = result.rounds[-1]
    assert last["exhausted_total"] == 2
    assert last["continuing_votes"] == 9
    assert names(result, result.elected) == ["A"]


def test_irv_exclusion_ties_go_by_earlier_rounds_then_lot() -> None:
    # Round 2: B and C have 3 each; in round 1 B had 3 and C 2, so C goes.
    options = ["A", "B", "C", "D"]
    rankings = ballots(options, (5, "A"), (3, "B"), (2, "C"), (1, "D>C"))
    result = count(options, rankings, method="irv")
    assert result.rounds[2]["ties"] == [{"kind": "exclusion", "candidates": [1, 2],
                                         "chosen": 2, "by": "round", "round": 1}]
    lot_only = count(options, rankings, method="irv", ties="lot", lot=[0, 2, 1, 3])
    assert lot_only.rounds[2]["ties"][0]["by"] == "lot"
    assert lot_only.rounds[2]["excluded"] == [1]


def test_irv_with_every_ranking_blank_elects_by_lot() -> None:
    options = ["A", "B", "C"]
    result = count(options, [[], []], method="irv", lot=[1, 2, 0])
    assert result.elected == [1]
    assert [r["excluded"] for r in result.rounds] == [[], [0], [2]]


def test_irv_with_an_even_split_of_two_excludes_by_the_tie_rule() -> None:
    options = ["A", "B"]
    result = count(options, ballots(options, (2, "A"), (2, "B")), method="irv", lot=[1, 0])
    assert result.elected == [1]
    assert result.rounds[1]["ties"][0]["by"] == "lot"


def test_schulze_ties_are_broken_by_the_lot_order() -> None:
    options = ["A", "B", "C"]
    rankings = ballots(options, (1, "A>B"), (1, "B>A"))
    result = count(options, rankings, method="schulze", seats=2, lot=[1, 0, 2])
    assert result.rounds[0]["winners"] == [0, 1]
    assert result.rounds[0]["ties"] == [{"kind": "winner", "candidates": [0, 1], "chosen": 1,
                                         "by": "lot", "lot_among": [0, 1]}]
    assert result.elected == [1, 0]


def test_schulze_puts_ranked_candidates_above_unranked_ones() -> None:
    options = ["A", "B", "C"]
    result = count(options, ballots(options, (2, "C"), (1, "A>B")), method="schulze")
    d = result.body["pairwise"]
    assert d == [[0, 1, 1], [0, 0, 1], [2, 2, 0]]
    assert names(result, result.elected) == ["C"]


def test_schulze_with_no_rankings_is_all_ties() -> None:
    result = count(["A", "B", "C"], [], method="schulze", seats=2, lot=[2, 1, 0])
    assert result.elected == [2, 1]
