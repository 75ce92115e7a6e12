"""STV by the Scottish rules (protocol 15.6) against worked examples and the rules' edges."""

from __future__ import annotations

import pytest

from omov.record.ranked import CountError, count_ranked
from omov.record.ranked import decode_value as value
from tests.record.ranked_kit import ballots, count, d, names, tallies

FOOD = ["Oranges", "Pears", "Chocolate", "Strawberries", "Sweets"]


def test_the_food_election_of_the_wikipedia_stv_article() -> None:
    # Wikipedia, "Single transferable vote", section "Example" (the food
    # election): 20 voters, 3 seats, Droop quota floor(20/4)+1 = 6. Chocolate
    # is elected on first preferences and its surplus of 6 goes half to
    # Strawberries (4) and half to Sweets (2); Pears is excluded and its 2
    # votes elect Oranges; Sweets is excluded and Strawberries takes the last
    # seat. Published result: Chocolate, Oranges, Strawberries.
    rankings = ballots(FOOD, (4, "Oranges"), (2, "Pears>Oranges"),
                       (8, "Chocolate>Strawberries"), (4, "Chocolate>Sweets"),
                       (1, "Strawberries"), (1, "Sweets"))
    result = count(FOOD, rankings, seats=3)
    assert result.body["quota"] == 6
    assert names(result, result.elected) == ["Chocolate", "Oranges", "Strawberries"]
    stage = result.rounds
    assert [r["action"] for r in stage] == [
        "first-preferences", "surplus", "exclusion", "exclusion", "last-vacancies"]
    assert stage[1]["transfer_values"] == [
        {"received": [1, 1], "papers": 12, "transfer_value": [1, 2]}]
    assert tallies(result, 2) == {"Oranges": 4, "Pears": 2, "Chocolate": 6,
                                  "Strawberries": 5, "Sweets": 3}
    assert names(result, stage[2]["excluded"]) == ["Pears"]
    assert names(result, stage[2]["elected"]) == ["Oranges"]
    assert names(result, stage[3]["excluded"]) == ["Sweets"]
    assert stage[3]["non_transferable"] == {"papers": 5, "value": [3, 1]}


ABCD = ["A", "B", "C", "D"]


def test_transfer_values_are_truncated_to_five_places_at_every_value() -> None:
    # Worked by hand with rule 48(3): 19 valid papers, 3 seats, quota
    # floor(19/4)+1 = 5. Stage 1: A 9, B 3, C 3, D 4: A is elected.
    # Stage 2: A's surplus 4 at 4 x 1 / 9 = 0.44444 (0.444.. truncated) on 9
    # papers: B gets 3.99996, 0.00004 is lost; B has 6.99996 and is elected.
    # Stage 3: B's surplus 1.99996 over 6.99996 votes: its 3 papers of value 1
    # go on at 1.99996 x 1 / 6.99996 = 0.28571 (0.285712..), its 9 papers of
    # value 0.44444 at 1.99996 x 0.44444 / 6.99996 = 0.12698 (0.126983..).
    # C gets 2 x 0.28571 + 9 x 0.12698 = 1.71424, D 0.28571, 0.00001 is lost.
    # Stage 4: D (4.28571) is excluded: 4 papers at 1 to C, the B>D paper at
    # 0.28571 is non-transferable; C has 8.71424 and is elected.
    rankings = ballots(ABCD, (9, "A>B>C"), (2, "B>C"), (1, "B>D"), (3, "C"), (4, "D>C"))
    result = count(ABCD, rankings, seats=3)
    assert result.body["quota"] == 5
    stage = result.rounds
    assert value(stage[1]["transfer_values"][0]["transfer_value"]) == d("0.44444")
    assert tallies(result, 2) == {"A": 5, "B": d("6.99996"), "C": 3, "D": 4}
    assert value(stage[1]["rounding"]) == d("0.00004")
    assert names(result, stage[1]["elected"]) == ["B"]
    assert value(stage[2]["surplus"]) == d("1.99996")
    by_value = {value(t["received"]): t for t in stage[2]["transfer_values"]}
    assert value(by_value[d("1")]["transfer_value"]) == d("0.28571")
    assert by_value[d("1")]["papers"] == 3
    assert value(by_value[d("0.44444")]["transfer_value"]) == d("0.12698")
    assert by_value[d("0.44444")]["papers"] == 9
    assert tallies(result, 3) == {"A": 5, "B": 5, "C": d("4.71424"), "D": d("4.28571")}
    assert value(stage[2]["rounding"]) == d("0.00001")
    assert names(result, stage[3]["excluded"]) == ["D"]
    assert stage[3]["non_transferable"]["papers"] == 1
    assert value(stage[3]["non_transferable"]["value"]) == d("0.28571")
    assert tallies(result, 4)["C"] == d("8.71424")
    assert names(result, result.elected) == ["A", "B", "C"]
    assert value(stage[3]["rounding_total"]) == d("0.00005")
    # The record writes each value as its reduced fraction.
    assert stage[1]["transfer_values"][0]["transfer_value"] == [11111, 25000]


def test_every_round_accounts_for_every_valid_paper() -> None:
    rankings = ballots(ABCD, (9, "A>B>C"), (2, "B>C"), (1, "B>D"), (3, "C"), (4, "D>C"))
    result = count(ABCD, rankings, seats=3)
    for n in range(1, len(result.rounds) + 1):
        record = result.rounds[n - 1]
        total = (sum(tallies(result, n).values()) + value(record["non_transferable_total"])
                 + value(record["rounding_total"]))
        assert total == 19


TIE = ["A", "X", "Y", "P", "Q"]
TIE_BALLOTS = (
    (12, "A"), (5, "X"), (4, "Y"), (2, "P>Y"), (1, "Q>X"), (2, "Q"))


def test_an_exclusion_tie_goes_by_the_most_recent_stage_at_which_they_differed() -> None:
    # Rule 51(2)(a): at the end of stage 4 X and Y have 6 each. At stage 3
    # (the most recent preceding stage at which they differ) X had 5 and Y 6,
    # so X is excluded, although at stage 1 X (5) was ahead of Y (4).
    result = count(TIE, ballots(TIE, *TIE_BALLOTS), seats=2)
    assert tallies(result, 4)["X"] == tallies(result, 4)["Y"] == 6
    tie = result.rounds[4]["ties"]
    assert tie == [{"kind": "exclusion", "candidates": [1, 2], "chosen": 1, "by": "round",
                    "round": 3}]
    assert names(result, result.elected) == ["A", "Y"]


def test_ties_by_lot_alone_skip_the_earlier_stages() -> None:
    # With ties "lot" the same tie goes to the lot: of X and Y the one later
    # in the lot order is excluded. Lot order A, Y, X, P, Q puts X last.
    result = count(TIE, ballots(TIE, *TIE_BALLOTS), seats=2, ties="lot", lot=[0, 2, 1, 3, 4])
    assert result.rounds[4]["ties"][0]["by"] == "lot"
    assert result.rounds[4]["ties"][0]["chosen"] == 1
    # Lot order A, X, Y, ...: Y is last, so Y is excluded and X elected.
    result = count(TIE, ballots(TIE, *TIE_BALLOTS), seats=2, ties="lot")
    assert names(result, result.elected) == ["A", "X"]


def test_an_exclusion_tie_equal_at_every_stage_is_decided_by_the_lot() -> None:
    # Rule 51(2)(b): B and C have 2 votes at every stage.
    options = ["A", "B", "C", "D"]
    rankings = ballots(options, (6, "A"), (2, "B"), (2, "C"), (3, "D"))
    result = count(options, rankings, seats=2, lot=[3, 2, 1, 0])
    exclusion = result.rounds[2]
    assert exclusion["ties"] == [{"kind": "exclusion", "candidates": [1, 2], "chosen": 1,
                                  "by": "lot", "lot_among": [1, 2]}]
    assert names(result, exclusion["excluded"]) == ["B"]
    other = count(options, rankings, seats=2, lot=[0, 1, 2, 3])
    assert names(other, other.rounds[2]["excluded"]) == ["C"]


def test_equal_surpluses_and_equal_elections_are_ordered_by_the_lot() -> None:
    # Rule 49(3): A and B both have 7 on first preferences (quota 6), so two
    # equal surpluses; the lot order B, A, ... puts B's first, and B is also
    # deemed elected first.
    options = ["A", "B", "C", "D"]
    rankings = ballots(options, (7, "A>C"), (7, "B>D"), (3, "C"), (2, "D"))
    result = count(options, rankings, seats=3, lot=[1, 0, 2, 3])
    first = result.rounds[0]
    assert first["elected"] == [1, 0]
    assert first["ties"][0]["kind"] == "election-order"
    assert result.rounds[1]["candidates"] == [1]
    assert result.rounds[1]["ties"] == [{"kind": "surplus-order", "candidates": [0, 1],
                                         "chosen": 1, "by": "lot", "lot_among": [0, 1]}]
    assert result.rounds[2]["candidates"] == [0]


def test_the_highest_surplus_is_transferred_first() -> None:
    options = ["A", "B", "C", "D"]
    rankings = ballots(options, (6, "A>C"), (9, "B>D"), (3, "C"), (2, "D"))
    result = count(options, rankings, seats=3)
    assert result.rounds[1]["candidates"] == [1]
    assert result.rounds[1]["ties"] == []


WOMEN = {"label": "women", "candidates": [2, 3], "at_least": 1}
PANEL = ["M1", "M2", "W1", "W2"]


def test_a_binding_balance_rule_reserves_the_last_seat() -> None:
    # 2 seats, at least 1 to a woman; quota floor(24/3)+1 = 9. M1 (10) is
    # elected; M2 (9) reaches the quota but the one seat left is owed to a
    # woman, so M2 is not elected and, with every seat left owed, excluded;
    # M2's papers elect W2.
    rankings = ballots(PANEL, (10, "M1>M2"), (9, "M2>W2"), (3, "W1"), (2, "W2"))
    result = count(PANEL, rankings, seats=2, balance=[WOMEN])
    first = result.rounds[0]
    assert first["elected"] == [0]
    assert first["balance"] == [{"kind": "not-elected", "candidates": [1], "groups": [0]}]
    reserve = result.rounds[1]
    assert reserve["action"] == "balance-exclusion"
    assert reserve["balance"] == [{"kind": "seats-reserved", "candidates": [1],
                                   "groups": [0], "seats_left": 1}]
    assert names(result, result.elected) == ["M1", "W2"]
    assert result.body["balance"] == [{"label": "women", "candidates": [2, 3],
                                       "at_least": 1, "required": 1, "elected": 1}]
    unbalanced = count(PANEL, rankings, seats=2)
    assert names(unbalanced, unbalanced.elected) == ["M1", "M2"]


def test_a_group_candidate_is_not_excluded_while_the_group_needs_them() -> None:
    # 3 seats, at least 1 woman (W1 is the only one); quota floor(28/4)+1 = 8.
    # W1 is lowest (3) but protected, so M4 (4) is excluded instead and its
    # papers go to W1; then M3 (5) is excluded and M2 and W1 fill the seats.
    options = ["M1", "M2", "M3", "M4", "W1"]
    group = {"label": "women", "candidates": [4], "at_least": 1}
    rankings = ballots(options, (10, "M1"), (6, "M2"), (5, "M3"), (4, "M4>W1"), (3, "W1"))
    result = count(options, rankings, seats=3, balance=[group])
    exclusion = result.rounds[2]
    assert names(result, exclusion["excluded"]) == ["M4"]
    assert exclusion["balance"] == [{"kind": "protected", "candidates": [4], "groups": [0]}]
    assert names(result, result.elected) == ["M1", "W1", "M2"]
    assert count(options, rankings, seats=3).elected == [0, 1, 2]


def test_a_balance_rule_already_met_changes_nothing() -> None:
    rankings = ballots(PANEL, (10, "W1>M2"), (9, "M2>W2"), (3, "M1"), (2, "W2"))
    with_rule = count(PANEL, rankings, seats=2, balance=[WOMEN])
    without = count(PANEL, rankings, seats=2)
    assert with_rule.rounds == without.rounds
    assert with_rule.body["balance"][0]["elected"] == 1


def test_a_group_with_fewer_candidates_than_its_minimum_needs_only_them() -> None:
    group = {"label": "women", "candidates": [2], "at_least": 2}
    rankings = ballots(PANEL, (10, "M1"), (9, "M2"), (3, "W1"), (2, "W2"))
    result = count(PANEL, rankings, seats=2, balance=[group])
    assert result.body["balance"][0]["required"] == 1
    assert names(result, result.elected) == ["M1", "W1"]


def test_as_many_candidates_as_seats_plus_one() -> None:
    options = ["A", "B", "C"]
    result = count(options, ballots(options, (3, "A"), (2, "B"), (1, "C>B")), seats=2)
    assert names(result, result.elected) == ["A", "B"]


def test_all_rankings_blank_or_none_at_all_still_fill_the_seats_by_lot() -> None:
    options = ["A", "B", "C", "D"]
    for rankings in ([], [[], []]):
        result = count(options, rankings, seats=2, lot=[2, 0, 3, 1])
        assert result.body["valid"] == 0
        assert result.body["quota"] == 1
        assert result.elected == [2, 0]
        assert all(r["ties"] for r in result.rounds[1:-1])


def test_papers_that_run_out_are_non_transferable() -> None:
    options = ["A", "B", "C"]
    result = count(options, ballots(options, (4, "A"), (1, "B"), (3, "C")), seats=1)
    assert result.rounds[1]["non_transferable"] == {"papers": 1, "value": [1, 1]}
    assert names(result, result.elected) == ["A"]


@pytest.mark.parametrize(("rule", "field"), [
    ({"method": "stv", "seats": 4, "ties": "lot"}, "count.seats"),
    ({"method": "stv", "seats": 0, "ties": "lot"}, "count.seats"),
    ({"method": "stv", "seats": 1, "ties": "coin"}, "count.ties"),
    ({"method": "meek", "seats": 1, "ties": "lot"}, "count.method"),
    ({"method": "irv", "seats": 2, "ties": "lot"}, "count.seats"),
    ({"method": "irv", "seats": 1, "ties": "lot", "balance": [WOMEN]}, "count.balance"),
    ({"method": "stv", "seats": 2, "ties": "lot", "balance": [
        WOMEN, {"label": "young", "candidates": [3], "at_least": 1}]}, "count.balance[1]"),
    ({"method": "stv", "seats": 1, "ties": "lot", "balance": [
        WOMEN, {"label": "men", "candidates": [0, 1], "at_least": 1}]}, "count.balance"),
    ({"method": "stv", "seats": 1, "ties": "lot", "balance": [
        {"label": "women", "candidates": [3, 2], "at_least": 1}]}, "count.balance[0]"),
])
def test_a_bad_count_rule_is_refused_naming_the_field(rule: dict[str, object],
                                                       field: str) -> None:
    with pytest.raises(CountError) as caught:
        count_ranked(rule, PANEL, [[0]], [0, 1, 2, 3])
    assert caught.value.field == field


@pytest.mark.parametrize(("rankings", "lot", "field"), [
    ([[0], [1, 1]], [0, 1, 2, 3], "rankings[1]"),
    ([[4]], [0, 1, 2, 3], "rankings[0]"),
    ([[0]], [0, 1, 2, 2], "lot_order"),
    ([[0]], [0, 1, 2], "lot_order"),
])
def test_bad_rankings_and_lot_orders_are_refused(rankings: list[list[int]], lot: list[int],
                                                 field: str) -> None:
    with pytest.raises(CountError) as caught:
        count_ranked({"method": "stv", "seats": 1, "ties": "lot"}, PANEL, rankings, lot)
    assert caught.value.field == field


def test_one_candidate_is_not_a_ranked_question() -> None:
    with pytest.raises(CountError):
        count_ranked({"method": "irv", "seats": 1, "ties": "lot"}, ["A"], [[0]], [0])


def test_equal_surpluses_go_by_the_most_recent_stage_at_which_they_differed() -> None:
    # Rule 49(2): quota floor(26/5)+1 = 6. A (8) and D (7) are elected at
    # stage 1; A's surplus (2, at 0.25) lifts B from 5 to 7 at stage 2. D's and
    # B's surpluses are then equal (1 each); at stage 1 D had 7 and B 5, so
    # D's goes first.
    options = ["A", "B", "D", "E", "F"]
    rankings = ballots(options, (8, "A>B"), (5, "B>F"), (7, "D>E"), (3, "E"), (3, "F"))
    result = count(options, rankings, seats=4)
    assert result.body["quota"] == 6
    assert names(result, result.rounds[1]["elected"]) == ["B"]
    third = result.rounds[2]
    assert third["ties"] == [{"kind": "surplus-order", "candidates": [1, 2], "chosen": 2,
                              "by": "round", "round": 1}]
    assert names(result, third["candidates"]) == ["D"]
    assert tallies(result, 3)["E"] == d("3.99995")
    fourth = result.rounds[3]
    assert names(result, fourth["candidates"]) == ["B"]
    assert {value(t["received"]): value(t["transfer_value"])
            for t in fourth["transfer_values"]} == {1: d("0.14285"), d("0.25"): d("0.03571")}
    assert value(fourth["non_transferable"]["value"]) == d("0.28568")
    assert names(result, result.elected) == ["A", "D", "B", "E"]


@pytest.mark.parametrize("rankings", [[[0], 3], [[0], [[1]]], [[0], ["B"]], [[1], [True]]])
def test_a_ranking_that_is_not_a_list_of_indices_is_refused(rankings: list[object]) -> None:
    with pytest.raises(CountError) as caught:
        count_ranked({"method": "stv", "seats": 1, "ties": "lot"}, PANEL, rankings,  # type: ignore[arg-type]
                     [0, 1, 2, 3])
    assert caught.value.field == "rankings[1]"


def test_a_lot_order_of_other_things_than_indices_is_refused() -> None:
    with pytest.raises(CountError) as caught:
        count_ranked({"method": "stv", "seats": 1, "ties": "lot"}, PANEL, [[0]],
                     ["a", 1, 2, 3])  # type: ignore[list-item]
    assert caught.value.field == "lot_order"


def test_rankings_of_any_list_type_are_counted() -> None:
    class Ranking(list[int]):
        pass

    rankings = [Ranking([0, 2]), Ranking([1]), (2, 0), [0]]
    result = count_ranked({"method": "stv", "seats": 1, "ties": "lot"}, PANEL, rankings,
                          [0, 1, 2, 3])
    assert result.body["valid"] == 4 and result.elected == [0]


def test_candidates_reaching_the_quota_together_are_ordered_by_an_earlier_stage() -> None:
    # Quota floor(23/4)+1 = 6. A's surplus of 6 at 0.5 lifts B (5) and C (4)
    # to 6 each at stage 2; B was ahead at stage 1, so B is elected first.
    options = ["A", "B", "C", "D"]
    rankings = ballots(options, (2, "A>B"), (4, "A>C"), (6, "A"), (5, "B"), (4, "C"), (2, "D"))
    result = count(options, rankings, seats=3)
    second = result.rounds[1]
    assert second["elected"] == [1, 2]
    assert second["ties"] == [{"kind": "election-order", "candidates": [1, 2], "chosen": 1,
                               "by": "round", "round": 1}]
