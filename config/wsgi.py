import os

from django.core.wsgi import get_wsgi_application

# A WSGI server is how production runs: without an explicit choice, take production settings
# (which refuse to start without real secrets). Development runs through manage.py.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
