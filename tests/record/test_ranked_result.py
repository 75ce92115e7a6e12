"""The lot order (15.2), the result's form (15.5), the published-count comparison
and the plain-words summary of ranked counts."""

from __future__ import annotations

import copy
import hashlib
import random

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from omov.crypto.canonical import canonical_json, parse_json
from omov.record.ranked import (
    compare_published_count,
    count_ranked,
    decode_value,
    lot_order,
    summary,
)
from tests.record.ranked_kit import ballots, count

FOOD = ["Oranges", "Pears", "Chocolate", "Strawberries", "Sweets"]
FOOD_BALLOTS = ballots(FOOD, (4, "Oranges"), (2, "Pears>Oranges"),
                       (8, "Chocolate>Strawberries"), (4, "Chocolate>Sweets"),
                       (1, "Strawberries"), (1, "Sweets"))


def test_the_lot_order_sorts_candidates_by_their_lot_keys() -> None:
    digest = bytes(range(32))
    keys = [hashlib.sha256(b"omov/lot/v1" + digest + "qé".encode() + i.to_bytes(4, "big"))
            .digest() for i in range(5)]
    expected = sorted(range(5), key=keys.__getitem__)
    assert lot_order(digest, "qé", 5) == expected
    assert lot_order(digest, "qé", FOOD) == expected
    assert sorted(lot_order(digest, "q2", 5)) == list(range(5))
    orders = {tuple(lot_order(bytes([n]) * 32, "q1", 6)) for n in range(20)}
    assert len(orders) > 10


def test_a_manifest_digest_of_the_wrong_length_is_refused() -> None:
    import pytest
    with pytest.raises(ValueError):
        lot_order(bytes(31), "q1", 3)


def test_the_result_is_canonical_json_without_floats() -> None:
    for method, seats in (("stv", 3), ("irv", 1), ("schulze", 2)):
        result = count(FOOD, FOOD_BALLOTS, method=method, seats=seats)
        text = canonical_json(result.to_json())
        assert parse_json(text) == result.to_json()
        assert b"." not in text.replace(b"omov-ranked-count/1", b"")


def test_the_count_does_not_depend_on_the_order_of_the_rankings() -> None:
    shuffled = list(FOOD_BALLOTS)
    random.Random(7).shuffle(shuffled)
    for method, seats in (("stv", 3), ("irv", 1), ("schulze", 2)):
        assert (count(FOOD, shuffled, method=method, seats=seats).to_json()
                == count(FOOD, FOOD_BALLOTS, method=method, seats=seats).to_json())


rankings_strategy = st.lists(
    st.permutations(range(5)).flatmap(lambda p: st.integers(0, 5).map(lambda k: p[:k])),
    max_size=60)


@settings(max_examples=80, deadline=None)
@given(rankings_strategy, st.integers(1, 4), st.sampled_from(["lot", "earlier-rounds-then-lot"]))
def test_stv_accounts_for_every_paper_and_fills_every_seat(
        rankings: list[list[int]], seats: int, ties: str) -> None:
    balance = [{"label": "group", "candidates": [3, 4], "at_least": 1}]
    result = count_ranked({"method": "stv", "seats": seats, "ties": ties, "balance": balance},
                          FOOD, rankings, [4, 2, 0, 1, 3])
    body = result.to_json()
    valid = sum(1 for r in rankings if r)
    for record in body["rounds"]:
        total = (sum(decode_value(v) for v in record["tallies"])
                 + decode_value(record["non_transferable_total"])
                 + decode_value(record["rounding_total"]))
        assert total == valid
    assert len(body["elected"]) == len(set(body["elected"])) == seats
    assert any(c in (3, 4) for c in body["elected"])
    assert compare_published_count(parse_json(canonical_json(body)), result) is None


@settings(max_examples=60, deadline=None)
@given(rankings_strategy)
def test_schulze_elects_a_condorcet_winner_and_irv_elects_someone(
        rankings: list[list[int]]) -> None:
    result = count_ranked({"method": "schulze", "seats": 1, "ties": "lot"}, FOOD, rankings,
                          list(range(5)))
    d = result.body["pairwise"]
    winners = [i for i in range(5) if all(d[i][j] > d[j][i] for j in range(5) if j != i)]
    if winners:
        assert result.elected == winners
    irv = count_ranked({"method": "irv", "seats": 1, "ties": "lot"}, FOOD, rankings,
                       list(range(5)))
    assert len(irv.elected) == 1


def test_an_identical_published_count_passes() -> None:
    result = count(FOOD, FOOD_BALLOTS, seats=3)
    published = parse_json(canonical_json(result.to_json()))
    assert compare_published_count(published, result) is None


def test_a_changed_tally_is_reported_with_its_round_and_candidate() -> None:
    result = count(FOOD, FOOD_BALLOTS, seats=3)
    published = copy.deepcopy(result.to_json())
    published["rounds"][2]["tallies"][0] = [5, 1]
    assert compare_published_count(published, result) == (
        "round 3 differs: the published count gives Oranges 5 votes, the recount 6")


def test_a_changed_winner_or_quota_or_round_count_is_reported() -> None:
    result = count(FOOD, FOOD_BALLOTS, seats=3)
    published = copy.deepcopy(result.to_json())
    published["elected"] = [2, 0, 4]
    assert compare_published_count(published, result) == (
        "the published count elects Chocolate, Oranges and Sweets, the recount Chocolate, "
        "Oranges and Strawberries")
    published = copy.deepcopy(result.to_json())
    published["quota"] = 7
    assert compare_published_count(published, result) == (
        "the published count's quota is 7, the recount gives 6")
    published = copy.deepcopy(result.to_json())
    published["rounds"].pop()
    assert compare_published_count(published, result) == (
        "the published count has 4 rounds, the recount 5")
    published = copy.deepcopy(result.to_json())
    published["rounds"][3]["excluded"] = [3]
    assert compare_published_count(published, result) == (
        "round 4 differs in who is excluded: the published count says Strawberries, "
        "the recount Sweets")
    published = copy.deepcopy(result.to_json())
    published["rounds"][1]["transfer_values"][0]["transfer_value"] = [49999, 100000]
    message = compare_published_count(published, result)
    assert message is not None and message.startswith("round 2 differs in transfer_values")
    assert compare_published_count([], result) == "the published count is not a JSON object"
    published = copy.deepcopy(result.to_json())
    published["rounds"][0]["tallies"][1] = "two"
    assert compare_published_count(published, result) == (
        "round 1 differs: the published count gives Pears 'two' votes, the recount 2")


def test_the_summary_says_each_round_in_plain_words() -> None:
    lines = summary(count(FOOD, FOOD_BALLOTS, seats=3))
    assert lines[0].startswith("Scottish STV (SSI 2007/42")
    assert "quota 6 (floor(20 / 4) + 1)" in lines[0]
    assert lines[2] == ("Round 2: Chocolate's surplus of 6 transferred at transfer value(s) "
                        "0.5: 4 to Strawberries, 2 to Sweets, 0 non-transferable (0 papers).")
    assert lines[3] == ("Round 3: Pears excluded (lowest, 2 votes); 2 votes transferred: 2 to "
                        "Oranges, 0 non-transferable (0 papers). Elected: Oranges (6 votes), "
                        "reaching the quota of 6.")
    assert lines[-1] == "Elected: Chocolate, Oranges and Strawberries."


def test_the_summary_names_ties_and_balance_steps() -> None:
    panel = ["M1", "M2", "W1", "W2"]
    women = {"label": "women", "candidates": [2, 3], "at_least": 1}
    result = count(panel, ballots(panel, (10, "M1>M2"), (9, "M2>W2"), (3, "W1"), (2, "W2")),
                   seats=2, balance=[women])
    text = "\n".join(summary(result))
    assert 'M2 reached the quota but is not elected: the seats left are owed to "women".' in text
    assert ("every seat left is owed to a balance group: M2 excluded with 9 votes, more than "
            "W2 (2), who is elected by the balance rule; 9 votes transferred" in text)
    assert 'Balance rule "women": at least 1 (required 1); 1 elected.' in text
    tied = count(["A", "B", "C"], [[], []], method="irv", lot=[1, 2, 0])
    assert ("Tie for exclusion between A, B and C: broken by lot among A, B and C; A chosen."
            in "\n".join(summary(tied)))
    schulze = "\n".join(summary(count(FOOD, FOOD_BALLOTS, method="schulze", seats=2)))
    assert "Round 1: among Oranges, Pears, Chocolate, Strawberries and Sweets" in schulze


def test_the_summary_says_when_the_balance_rule_protects_a_candidate() -> None:
    options = ["M1", "M2", "M3", "M4", "W1"]
    group = {"label": "women", "candidates": [4], "at_least": 1}
    result = count(options, ballots(options, (10, "M1"), (6, "M2"), (5, "M3"), (4, "M4>W1"),
                                    (3, "W1")), seats=3, balance=[group])
    assert summary(result)[3] == (
        "Round 3: M4 excluded (lowest not protected, 4 votes); 4 votes transferred: 4 to W1, "
        "0 non-transferable (0 papers). W1 not excluded: the balance rule \"women\" still "
        "needs this candidate.")


def test_a_published_count_of_another_method_says_so_first() -> None:
    result = count(FOOD, FOOD_BALLOTS, seats=1)
    published = count(FOOD, FOOD_BALLOTS, method="irv").to_json()
    assert compare_published_count(published, result) == (
        "the published count's method is 'irv', the recount gives 'stv'")


@settings(max_examples=120, deadline=None)
@given(rankings_strategy, st.integers(1, 4), st.lists(st.integers(0, 2), min_size=5, max_size=5),
       st.integers(1, 3), st.integers(1, 3))
def test_stv_gives_every_balance_group_its_required_seats(
        rankings: list[list[int]], seats: int, membership: list[int], first: int,
        second: int) -> None:
    groups = [[c for c in range(5) if membership[c] == g] for g in (1, 2)]
    wanted = [first, second]
    balance = [{"label": f"group {g}", "candidates": groups[g], "at_least": wanted[g]}
               for g in (0, 1) if groups[g]]
    required = [min(group["at_least"], len(group["candidates"])) for group in balance]
    assume(sum(required) <= seats)
    result = count_ranked({"method": "stv", "seats": seats, "ties": "lot", "balance": balance},
                          FOOD, rankings, [1, 3, 0, 4, 2])
    assert len(result.elected) == seats
    for group, need in zip(result.body["balance"], required, strict=True):
        assert group["required"] == need
        assert sum(1 for c in result.elected if c in group["candidates"]) >= need
        assert group["elected"] >= need
