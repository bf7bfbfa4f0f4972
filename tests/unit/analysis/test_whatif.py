"""What-if removals: the brief's NISCOF SACCO example and a chain counted by hand."""

from __future__ import annotations

from app.analysis.snapshot import Snapshot, build_snapshot
from app.analysis.whatif import EnablerLoss, what_if
from app.domain.models import Document
from tests.factories import org, rel


def chain() -> Snapshot:
    """funder FUNDS ngo; ngo ENABLES union; union ESTABLISHED coop; other ENABLES coop."""
    return build_snapshot(
        Document(
            organizations=[
                org("funder", type="funder", movement="enabler"),
                org("ngo", type="ngo", movement="enabler"),
                org("union"),
                org("coop", type="cooperative", movement="sse"),
                org("other", type="ngo", movement="enabler"),
            ],
            relationships=[
                rel("funder-ngo", "FUNDS", "funder", "ngo"),
                rel("ngo-union", "ENABLES", "ngo", "union"),
                rel("union-coop", "ESTABLISHED", "union", "coop"),
                rel("other-coop", "ENABLES", "other", "coop"),
            ],
        ),
        1,
        None,
    )


def test_nairobi_self_help_groups_lose_all_support_without_the_sacco(seed: Document) -> None:
    # Box 6: the SACCO "provided a revolving fund for various self-help groups (SHGs) of
    # street vendors in Nairobi"; it operated "until the onset of the Covid-19 pandemic", so
    # the example is read in 2019.
    result = what_if(build_snapshot(seed, 1, 2019), ["niscof-sacco"])
    assert [loss.organization for loss in result.lose_all] == [
        "nairobi-street-vendor-self-help-groups"
    ]
    assert "niscof" in result.lose_all[0].lost
    assert ("niscof", "nairobi-street-vendor-self-help-groups") in result.broken_paths


def test_after_the_collapse_removing_the_sacco_changes_nothing(seed: Document) -> None:
    # Box 6: "the revolving fund collapsed": the SACCO (status collapsed) is gone now, so
    # removing it is asking about an organisation that is not there.
    result = what_if(build_snapshot(seed, 1, None), ["niscof-sacco"])
    assert result.unknown == ("niscof-sacco",)
    assert (result.lose_all, result.lose_some, result.broken_path_count) == ((), (), 0)


def test_without_slp_the_platform_cooperative_partnership_is_no_longer_type_3(
    seed: Document,
) -> None:
    # Table, type 3 rests on SLP; SADSAWU and UDWOSA are trade unions, so type 2 remains.
    result = what_if(build_snapshot(seed, 1, None), ["slp"])
    (loss,) = result.partnerships
    assert loss.lost_enablers == ("slp",)
    assert loss.before.type == 3
    assert loss.after is not None and loss.after.type == 2


def test_chain_by_hand() -> None:
    # Before: union <- ngo <- funder; coop <- union, other, and through union ngo and funder.
    # Without the NGO: union keeps nobody; coop keeps union and other.
    result = what_if(chain(), ["ngo"])
    assert result.lose_all == (EnablerLoss("union", ("funder", "ngo")),)
    assert result.lose_some == (EnablerLoss("coop", ("funder", "ngo")),)
    # Pairs with the NGO itself at one end are not listed as broken paths.
    assert result.broken_paths == (("funder", "coop"), ("funder", "union"))
    assert result.broken_path_count == 2


def test_path_limit_caps_the_list_not_the_count() -> None:
    result = what_if(chain(), ["ngo"], path_limit=1)
    assert result.broken_paths == (("funder", "coop"),)
    assert result.broken_path_count == 2


def test_removing_a_member_is_reported_on_the_partnership() -> None:
    # The union established the coop (type 1); without it no union-side member remains.
    # Upstream of the union are the NGO and the funder, downstream only the coop: both lose
    # their one route to it, while the coop keeps the other NGO.
    result = what_if(chain(), ["union"])
    assert result.broken_paths == (("funder", "coop"), ("ngo", "coop"))
    assert result.lose_some == (EnablerLoss("coop", ("funder", "ngo", "union")),)
    assert [loss.organization for loss in result.lose_all] == []
    (loss,) = result.partnerships
    assert loss.lost_members == ("union",)
    assert loss.after is None


def test_removed_organisations_are_not_listed_as_losing() -> None:
    # Without the NGO and the union, only the coop is left to lose anything: all three of
    # its chains from funder, NGO and union are gone, and the other NGO remains.
    result = what_if(chain(), ["ngo", "union"])
    assert result.lose_all == ()
    assert result.lose_some == (EnablerLoss("coop", ("funder", "ngo", "union")),)
    assert result.broken_paths == (("funder", "coop"),)


def test_unknown_ids_are_ignored() -> None:
    # Without the funder the NGO keeps no enabler; union and coop keep the NGO and others.
    result = what_if(chain(), ["nope", "funder"])
    assert result.unknown == ("nope",)
    assert result.removed == ("funder",)
    assert [loss.organization for loss in result.lose_all] == ["ngo"]
    assert [loss.organization for loss in result.lose_some] == ["coop", "union"]
    assert what_if(chain(), "funder").removed == ("funder",)
