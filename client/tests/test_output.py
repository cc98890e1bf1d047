"""How times and tables look to people."""
import pytest

from studiocp_client.output import row, when


@pytest.mark.parametrize("timestamp, shown", [
    ("2025-02-01T04:00:00Z", "2025-02-01 04:00:00 UTC"),
    ("2025-02-01T04:00:00.123456789Z", "2025-02-01 04:00:00 UTC"),
    ("2025-02-01T04:00:00+02:00", "2025-02-01 02:00:00 UTC"),
    ("2025-01-01T01:30:00+0530", "2024-12-31 20:00:00 UTC"),
    ("2025-02-01T23:00:00-01:00", "2025-02-02 00:00:00 UTC"),
    (None, "-"),
    ("", "-"),
    ("next tuesday", "next tuesday"),
])
def test_times_are_shown_in_utc_with_the_zone_named(timestamp, shown):
    assert when(timestamp) == shown


def test_rows_align_every_column_but_an_open_last_one():
    assert row(["a", "bb", "rest"], [3, 4, None]) == "a   bb   rest"
    assert row(["a", "bb"], [3, 4, None]) == "a   bb  "
