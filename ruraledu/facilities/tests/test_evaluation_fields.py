"""办学条件's 音乐/美术专用教室, 公用经费, 核定学生数 and 培训经费 columns."""

from decimal import Decimal

from ruraledu.facilities import imports as _registers  # noqa: F401
from ruraledu.facilities.models import FacilityRecord
from ruraledu.spreadsheets.base import get_importer
from ruraledu.spreadsheets.testing import rows

YEAR = 2024


def test_rooms_and_funds_are_stored(district_admin, school_a):
    importer = get_importer("facilities")
    data = rows(
        {
            "school": "SA",
            "music_rooms": 2,
            "music_room_area": Decimal("192.5"),
            "art_rooms": 1,
            "art_room_area": 90,
            "public_funds": 72000,
            "funded_pupils": 100,
            "training_funds": Decimal("3600.50"),
        }
    )
    assert importer.validate(data, year=YEAR, user=district_admin) == []
    importer.write(data, year=YEAR, user=district_admin)
    record = FacilityRecord.objects.get(year=YEAR)
    assert (record.music_rooms, record.music_room_area, record.art_rooms) == (
        2,
        Decimal("192.50"),
        1,
    )
    assert (record.public_funds, record.funded_pupils, record.training_funds) == (
        Decimal("72000.00"),
        100,
        Decimal("3600.50"),
    )
