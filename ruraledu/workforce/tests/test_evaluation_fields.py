"""The staff roster's 教师资格证, 近五年培训学时 and 交流轮岗 columns."""

from ruraledu.spreadsheets.base import get_importer
from ruraledu.spreadsheets.testing import rows
from ruraledu.workforce.models import Post

from .test_imports import YEAR, teacher


def test_certificate_training_hours_and_rotation_are_stored(district_admin, school_a):
    importer = get_importer("staff")
    data = rows(teacher(has_certificate=True, training_hours_5y=360, rotated=True))
    assert importer.validate(data, year=YEAR, user=district_admin) == []
    importer.write(data, year=YEAR, user=district_admin)
    post = Post.objects.get(year=YEAR)
    assert (post.has_certificate, post.training_hours_5y, post.rotated) == (True, 360, True)
