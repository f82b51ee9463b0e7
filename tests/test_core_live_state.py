"""Live posts follow state: what a channel was last told against what is true now (plain functions)."""
from bot.core.live_changes import medal_news, medals_to_tell, results_by_event
from bot.core.models import Result

GOLD, SILVER = Result("FSK-X-TEAM", "gold", "United States", "USA"), Result("FSK-X-TEAM", "silver", "United States", "USA")
ROC_GOLD, ROC_SILVER = Result("FSK-X-TEAM", "gold", "ROC", "ROC"), Result("FSK-X-TEAM", "silver", "ROC", "ROC")
JPN_BRONZE = Result("FSK-X-TEAM", "bronze", "Japan", "JPN")
CURLING_GOLD = Result("CUR-M", "gold", "Sweden", "SWE")


def by_event(*results):
    return results_by_event(type("Data", (), {"results": results})())


def test_a_channel_told_what_is_true_has_no_news():
    now = by_event(GOLD, ROC_SILVER, JPN_BRONZE)
    assert medal_news(medals_to_tell(now, "USA"), now, "USA") == []


def test_only_the_nations_events_are_told():
    now = by_event(GOLD, ROC_SILVER, JPN_BRONZE, CURLING_GOLD)
    assert set(medals_to_tell(now, "USA")) == {"FSK-X-TEAM"}
    assert medal_news({}, now, "USA")[0].changes[0].kind == "won"
    assert medal_news({}, now, "NOR") == []


def test_each_flip_is_news_against_what_was_told():
    told = medals_to_tell(by_event(GOLD, ROC_SILVER), "USA")
    for now, medal, was in ((by_event(SILVER, ROC_GOLD), "silver", "gold"), (by_event(GOLD, ROC_SILVER), "gold", "silver"),
                            (by_event(SILVER, ROC_GOLD), "silver", "gold")):
        [news] = medal_news(told, now, "USA")
        [change] = news.changes
        assert (change.kind, change.result.medal, change.was) == ("changed", medal, was)
        told = {news.event_id: news.results}  # told, as the channel now is


def test_another_nations_change_updates_what_was_told_without_a_post():
    told = medals_to_tell(by_event(GOLD, ROC_SILVER), "USA")
    [news] = medal_news(told, by_event(GOLD, ROC_SILVER, JPN_BRONZE), "USA")
    assert news.changes == () and JPN_BRONZE in news.results


def test_a_medal_taken_away_is_news_even_when_the_nation_has_none_left():
    told = medals_to_tell(by_event(GOLD, ROC_SILVER), "USA")
    [news] = medal_news(told, by_event(ROC_GOLD), "USA")
    assert [(c.kind, c.result.medal) for c in news.changes] == [("reallocated_from", "gold")]
    assert medal_news({news.event_id: news.results}, by_event(ROC_GOLD), "USA") == []
