from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and benchmark data. It writes into every domain app, so it sits above
    them all: nothing imports it."""

    name = "demo"
    verbose_name = "Dữ liệu mẫu"
