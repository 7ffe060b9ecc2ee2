"""Settings: ``base`` is shared; ``local``, ``production`` and ``test`` extend it.

Pick one with the ``DJANGO_SETTINGS_MODULE`` environment variable.
"""
