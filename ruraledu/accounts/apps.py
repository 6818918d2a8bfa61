from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ruraledu.accounts"
    verbose_name = "账号与角色"

    def ready(self) -> None:
        # every scoped queryset asks this app's rule for the subtrees a user reaches
        from ruraledu.core.querysets import use_scope_paths

        from .scoping import scope_paths

        use_scope_paths(scope_paths)

        from django.contrib.auth.signals import user_logged_in

        from .idle import seen_at_login

        user_logged_in.connect(seen_at_login, dispatch_uid="ruraledu-session-seen")
