from django.apps import AppConfig


class LeftBehindConfig(AppConfig):
    name = "ruraledu.leftbehind"
    verbose_name = "留守与困境儿童关爱"
