"""What a feed update means, as plain functions."""
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.core.live_changes import medal_changes, render_medal_change, render_notice, session_moves, starts_soon, touches_day
from bot.core.models import Result
from bot.core.changes import diff_games
from bot.data.dataset import SHIPPED_DATASET, load_dataset_file

GAMES = load_dataset_file(SHIPPED_DATASET)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_a_new_medal_is_won():
    bronze = Result("SSK-W-TEAM-PURSUIT", "bronze", "Netherlands", "NED")
    [change] = medal_changes([bronze], [])
    assert change.kind == "won"
    assert render_medal_change(change, GAMES, "en") == "🥉 **🇳🇱 Netherlands wins bronze!** Speed Skating – Women's Team Pursuit: Netherlands"
    assert render_medal_change(change, GAMES, "nl") == "🥉 **🇳🇱 Nederland wint brons!** Schaatsen – Ploegenachtervolging vrouwen: Netherlands"


def test_the_figure_skating_team_re_ranking_is_one_correction_per_nation():
    before = [Result("FSK-X-TEAM", "gold", "ROC", "ROC"), Result("FSK-X-TEAM", "silver", "United States", "USA"),
              Result("FSK-X-TEAM", "bronze", "Japan", "JPN")]
    after = [Result("FSK-X-TEAM", "gold", "United States", "USA"), Result("FSK-X-TEAM", "silver", "Japan", "JPN"),
             Result("FSK-X-TEAM", "bronze", "ROC", "ROC")]
    changes = {c.result.nation: c for c in medal_changes([r for r in after if r not in before], [r for r in before if r not in after])}
    assert {n: (c.kind, c.result.medal, c.was) for n, c in changes.items()} == {
        "USA": ("changed", "gold", "silver"), "JPN": ("changed", "silver", "bronze"), "ROC": ("changed", "bronze", "gold")}
    assert render_medal_change(changes["USA"], GAMES, "en") == (
        "🥇 **Correction: 🇺🇸 United States now has gold** in Figure Skating – Team Event (was silver): United States.")


def test_a_medal_taken_away_and_given_to_another():
    lost = Result("FRS-W-SKI-CROSS", "bronze", "Daniela Maier", "GER")
    gained = Result("FRS-W-SKI-CROSS", "bronze", "Someone Else", "SUI")
    kinds = {c.result.nation: c.kind for c in medal_changes([gained], [lost])}
    assert kinds == {"SUI": "reallocated_to", "GER": "reallocated_from"}


def test_session_moves_touch_the_right_days_and_say_so():
    moved = replace(next(s for s in GAMES.sessions if s.id == "2411176"))  # women's team pursuit finals, 08:24 CET
    later = replace(moved, start=moved.start + timedelta(minutes=36), end=moved.end + timedelta(minutes=36))
    new = replace(GAMES, sessions=tuple(later if s.id == moved.id else s for s in GAMES.sessions))
    [move] = session_moves(GAMES, diff_games(GAMES, new))
    assert (move.old.start, move.new.start) == (moved.start, later.start)
    assert touches_day(move, date(2022, 2, 15), AMSTERDAM, new, None)
    assert not touches_day(move, date(2022, 2, 15), AMSTERDAM, new, "CUR")
    assert not touches_day(move, date(2022, 2, 16), AMSTERDAM, new, None)
    assert render_notice(move, new, AMSTERDAM, "en") == "⏰ **Schedule change:** Speed Skating – Women's Team Pursuit – Finals now starts at 09:00 (was 08:24)."
    assert starts_soon(move, datetime(2022, 2, 15, 6, 0, tzinfo=timezone.utc), timedelta(hours=3))
    assert not starts_soon(move, datetime(2022, 2, 14, 19, 0, tzinfo=timezone.utc), timedelta(hours=3))
    gone = replace(GAMES, sessions=tuple(s for s in GAMES.sessions if s.id != moved.id))
    [cancel] = session_moves(GAMES, diff_games(GAMES, gone))
    assert cancel.new is None
    assert render_notice(cancel, GAMES, AMSTERDAM, "nl") == "❌ **Afgelast:** Schaatsen – Ploegenachtervolging vrouwen – Finale (08:24)."
