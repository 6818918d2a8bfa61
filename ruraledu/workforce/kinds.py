"""The workforce app's yearly data kinds (see `core.kinds`)."""

from ruraledu.core.kinds import Tab, YearlyKind, declare, sql_false

from .models import Post

POSTS = declare(
    YearlyKind(
        "workforce.posts",
        Post,
        ("person", "school"),
        rolls_forward=True,
        # yearly checks (体检, 乡镇补贴) restart in a new year
        transform=lambda: {"health_check": sql_false(), "town_allowance_received": sql_false()},
        importer="staff",
        tab=Tab("staff", "教职工", "workforce:post_list", order=20),
        marks_year=True,
    )
)
