"""Strength from a known interaction history, part by part."""

import datetime as dt
import math

import pytest

from crn.analytics.strength import Touch, pair_histories, relationship_strength

NOW = dt.datetime(2026, 1, 1)


def test_known_history_gives_the_documented_parts():
    touches = [Touch(NOW - dt.timedelta(days=90), "email", "inbound"),
               Touch(NOW - dt.timedelta(days=90), "email", "outbound"),
               Touch(NOW - dt.timedelta(days=180), "note", "internal")]
    s = relationship_strength(touches, now=NOW, half_life_days=90)
    assert s.recency == pytest.approx(0.5)
    n = 0.5 + 0.5 + 0.25
    assert s.frequency == pytest.approx(1 - math.exp(-n / 5))
    assert s.reciprocity == pytest.approx(1.0)  # in 2 (inbound + internal), out 2 (outbound + internal)
    assert s.channel == pytest.approx((0.5 * 0.4 + 0.5 * 0.4 + 0.25 * 0.2) / n)
    expected = 0.35 * 0.5 + 0.30 * s.frequency + 0.15 * 1.0 + 0.20 * s.channel
    assert s.score == pytest.approx(expected)
    assert s.interactions == 3 and s.last_interaction_at == NOW - dt.timedelta(days=90)


def test_recent_meetings_beat_old_emails():
    meetings = relationship_strength([Touch(NOW, "meeting")] * 3, now=NOW)
    emails = relationship_strength([Touch(NOW - dt.timedelta(days=300), "email")] * 3, now=NOW)
    assert meetings.score > emails.score
    assert 0.0 <= emails.score <= meetings.score <= 1.0


def test_future_touches_are_ignored_and_no_history_scores_zero():
    assert relationship_strength([Touch(NOW + dt.timedelta(days=1), "call")], now=NOW).score == 0.0
    assert relationship_strength([], now=NOW).interactions == 0


def test_half_life_setting_changes_recency():
    t = [Touch(NOW - dt.timedelta(days=30), "call")]
    assert relationship_strength(t, now=NOW, half_life_days=30).recency == pytest.approx(0.5)


def test_pairs_skip_crowds_between_people_but_keep_users():
    crowd = [f"p{i}" for i in range(10)]
    pairs = pair_histories([(NOW, "meeting", "outbound", ["u"], crowd)], max_people=8)
    assert len(pairs) == 10 and all(a == "u" for a, _ in pairs)
