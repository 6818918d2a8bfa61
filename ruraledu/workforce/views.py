from ruraledu.orgunits.registry import SchoolRecordListView

from .choices import Position
from .models import Post


class PostListView(SchoolRecordListView):
    template_name = "workforce/post_list.html"
    partial_template_name = "workforce/_post_table.html"
    tab = "staff"

    def get_queryset(self):
        rows = (
            Post.objects.for_user(self.request.user)
            .filter(school=self.school, year=self.registry["year"])
            .select_related("person")
            .order_by("position", "person__name")
        )
        params = self.request.GET
        if text := params.get("q", "").strip()[:30]:
            rows = rows.filter(person__name__contains=text)
        if (position := params.get("position", "")) in Position.values:
            rows = rows.filter(position=position)
        return rows

    def get_context_data(self, **kwargs):
        return super().get_context_data(positions=Position.choices, **kwargs)
