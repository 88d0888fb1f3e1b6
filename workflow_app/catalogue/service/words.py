"""Catalogue rules in words, in the reader's language.

Codes stay data; everything a person reads goes through gettext here. Used by the
catalogue pages (registered as template globals) and by anything that needs to explain a
rule (e.g. the eligibility checks).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from workflow_app.catalogue.service.fields import parse_fraction

KINDS = {"title": _l("Emulation titles"), "form": _l("Forms of commendation")}
KIND_SINGULAR = {"title": _l("Title"), "form": _l("Form of commendation")}
SUBJECTS = {"individual": _l("Individual"), "collective": _l("Collective"),
            "both": _l("Individual or collective")}
LEVELS = {"unit": _l("Head of the unit"), "ministry": _l("Minister / provincial chair"),
          "prime_minister": _l("Prime Minister"),
          "president": _l("President (on the Prime Minister's proposal)")}
WORKFLOWS = {"normal": _l("Normal procedure"), "simplified": _l("Simplified procedure")}
METHODS = {"secret_ballot": _l("secret ballot"), "open_vote": _l("open vote"),
           "cluster_acclamation": _l("cluster/block acclamation")}
DENOMINATORS = {"all_members": _l("of all members"), "present_members": _l("of members present"),
                "valid_ballots": _l("of valid ballots")}
COMPARATORS = {">=": "≥", ">": ">"}
RATINGS = {"excellent": _l("excellent (hoàn thành xuất sắc nhiệm vụ)"),
           "good": _l("good or better (hoàn thành tốt nhiệm vụ)"),
           "complete": _l("task completed (hoàn thành nhiệm vụ)")}
SCOPES = {"unit": _l("recognised by the unit"), "ministry": _l("with ministry/province scope"),
          "nationwide": _l("with nationwide impact")}
DISCIPLINE = {"reprimand": _l("reprimand (khiển trách)"), "warning": _l("warning (cảnh cáo)")}
DOCUMENTS = {
    "TO_TRINH": _l("Submission (tờ trình)"),
    "BAO_CAO_THANH_TICH": _l("Achievement report (báo cáo thành tích)"),
    "BAO_CAO_TOM_TAT_THANH_TICH": _l("Short achievement summary (báo cáo tóm tắt thành tích)"),
    "BIEN_BAN_BINH_XET": _l("Review minutes (biên bản bình xét)"),
    "BIEN_BAN_HOI_DONG": _l("Council minutes (biên bản họp Hội đồng)"),
    "XAC_NHAN_SANG_KIEN": _l("Certification of the initiative or science work"),
    "XAC_NHAN_DE_TAI": _l("Certification of the science topic"),
    "XAC_NHAN_THANH_TICH_DOT_XUAT": _l("Certification of the ad hoc achievement"),
    "BAO_CAO_LAY_Y_KIEN_NHAN_DAN": _l("Report on the public consultation"),
    "FILE_DIEN_TU": _l("Electronic file of the dossier"),
    "QUYET_DINH": _l("Decision"),
    "HO_SO_HUY_BO": _l("Revocation dossier"),
}
SIMPLIFIED_CASES = {
    "POLITICAL_TASK": _l("political tasks"), "DOT_XUAT": _l("ad hoc achievements"),
    "HEAD_DISCOVERED": _l("achievements found by the head of the agency"),
    "CONG_HIEN": _l("service period"), "NIEN_HAN": _l("seniority"),
    "DOI_NGOAI": _l("external affairs"), "STATE_SECRET": _l("State secrets"),
}


def label(table: dict[str, Any], code: str | None) -> str:
    return str(table.get(code, code or "—"))


def ratio_words(ratio: str, comparator: str | None = None) -> str:
    """`"9/10"` → `"9/10 (90 %)"`, prefixed with ≥ or > when a comparator is given."""
    value = parse_fraction(ratio) or Fraction(0)
    percent = f"{float(value * 100):.1f}".rstrip("0").rstrip(".")
    text = f"{ratio} ({percent} %)"
    return f"{COMPARATORS.get(comparator, comparator)} {text}" if comparator else text


def vote_rule_words(rule: dict[str, Any]) -> str:
    if not rule:
        return _("No council vote (simplified procedure)")
    text = _("%(ratio)s %(denominator)s agree, %(method)s",
             ratio=ratio_words(rule["ratio"], rule["comparator"]),
             denominator=label(DENOMINATORS, rule["denominator"]),
             method=label(METHODS, rule["method"]))
    if rule.get("absent_may_vote_in_writing"):
        text += "; " + _("absent members may vote in writing")
    return text


def disclosure_words(disclosure: dict[str, Any]) -> str:
    if not disclosure.get("required"):
        return _("Not required")
    return _("Public disclosure for at least %(days)d working days before the council meets",
             days=disclosure["working_days"])


def quota_words(quota: dict[str, Any], names: dict[str, str] | None = None) -> str:
    if quota.get("kind") != "share_of":
        return _("No quota")
    base = _namer(names)(quota["award"]) if quota.get("award") else _("cluster/block leaders")
    return _("At most %(ratio)s of %(base)s", ratio=ratio_words(quota["max"]), base=base)


def prerequisite_words(item: dict[str, Any], locale: str = "vi",
                       names: dict[str, str] | None = None) -> str:
    """One prerequisite in a sentence; `any_of`/`all_of` give only their heading.

    `names` maps award codes to names in the reader's language ("Lao động tiên tiến (LDTT)").
    """
    kind = item["kind"]
    if kind == "criterion":
        return item["text_en"] if locale == "en" else item["text_vi"]
    writer = _WRITERS.get(kind)
    return writer(item, _namer(names)) if writer else kind


def _namer(names: dict[str, str] | None):
    names = names or {}
    return lambda code: f"{names[code]} ({code})" if code in names else code


def _within(item: dict[str, Any]) -> str:
    return " " + _("within %(years)d years", years=item["within"]) if item.get("within") else ""


def _initiative(item: dict[str, Any], _name) -> str:
    scope, count = label(SCOPES, item["scope"]), item.get("count") or 1
    if count == 1:
        return _("An initiative %(scope)s", scope=scope) + _within(item)
    return _("%(count)d initiatives %(scope)s", count=count, scope=scope) + _within(item)


def _science_topic(item: dict[str, Any], _name) -> str:
    scope, count = label(SCOPES, item["scope"]), item.get("count") or 1
    if count == 1:
        return _("An accepted science topic or S&T work %(scope)s", scope=scope) + _within(item)
    return _("%(count)d accepted science topics %(scope)s", count=count,
             scope=scope) + _within(item)


def _rating_years(item: dict[str, Any], _name) -> str:
    rating = label(RATINGS, item["min_rating"])
    if item.get("within"):
        return _("Rated %(rating)s in at least %(years)d of the last %(within)d years",
                 rating=rating, years=item["years"], within=item["within"])
    if item.get("consecutive") and item["years"] > 1:
        return _("Rated %(rating)s for %(years)d consecutive years",
                 rating=rating, years=item["years"])
    if item["years"] == 1:
        return _("Rated %(rating)s in the year under review", rating=rating)
    return _("Rated %(rating)s in %(years)d years", rating=rating, years=item["years"])


def _member_share(item: dict[str, Any], name) -> str:
    ratio = ratio_words(item["ratio"], item["comparator"])
    if item.get("award"):
        return _("%(ratio)s of members hold %(award)s", ratio=ratio, award=name(item["award"]))
    return _("%(ratio)s of members are rated %(rating)s", ratio=ratio,
             rating=label(RATINGS, item.get("min_rating")))


def _holds_award(item: dict[str, Any], name) -> str:
    if item["when"] == "same_year":
        return _("Awarded %(award)s in the same year", award=name(item["award"]))
    return _("Already holds %(award)s", award=name(item["award"]))


def _cluster_leader(item: dict[str, Any], _name) -> str:
    if item["level"] == "central":
        return _("Leads a cluster/block run by the Central Emulation and Commendation Council")
    if item.get("acclaimed"):
        return _("Leads its cluster/block, acclaimed (suy tôn) by the cluster/block")
    return _("Leads a cluster/block run by the ministry or province")


def _movement_leader(item: dict[str, Any], _name) -> str:
    if item["launched_by"] == "prime_minister":
        text = _("Leads a movement launched by the Prime Minister")
    elif item.get("thematic"):
        text = _("Leads a thematic movement launched by the ministry or province")
    else:
        text = _("Leads a movement launched by the ministry or province")
    if item.get("min_years"):
        text += " " + _("lasting %(years)d years or more", years=item["min_years"])
    return text


_WRITERS = {
    "holds_award": _holds_award,
    "consecutive_titles": lambda i, name: _("%(award)s for %(years)d consecutive years",
                                            award=name(i["award"]), years=i["years"]),
    "titles_in_period": lambda i, name: _(
        "%(award)s at least %(count)d times within %(within)d years",
        award=name(i["award"]), count=i["count"], within=i["within"]),
    "rating_years": _rating_years,
    "unit_rating": lambda i, _name: _("The collective is rated %(rating)s",
                                      rating=label(RATINGS, i["min_rating"])),
    "initiative": _initiative,
    "science_topic": _science_topic,
    "member_share": _member_share,
    "member_count": lambda i, name: _("At least %(min)d member(s) hold %(award)s",
                                      min=i["min"], award=name(i["award"])),
    "no_disciplined_member": lambda i, _name: _("No member disciplined at %(level)s or above",
                                                level=label(DISCIPLINE, i["min_level"])),
    "no_pending_proceedings": lambda i, _name: _(
        "No pending discipline, investigation, inspection, complaint or denunciation"),
    "cluster_leader": _cluster_leader,
    "movement_leader": _movement_leader,
    "any_of": lambda i, _name: _("One of:"),
    "all_of": lambda i, _name: _("All of:"),
}


def template_globals() -> dict[str, Any]:
    """What the catalogue templates need, as Jinja globals."""
    return {
        "catalogue_words": {
            "kinds": KINDS, "kind": KIND_SINGULAR, "subjects": SUBJECTS, "levels": LEVELS,
            "workflows": WORKFLOWS, "documents": DOCUMENTS, "cases": SIMPLIFIED_CASES,
        },
        "label": label,
        "vote_rule_words": vote_rule_words,
        "disclosure_words": disclosure_words,
        "quota_words": quota_words,
        "prerequisite_words": prerequisite_words,
    }
