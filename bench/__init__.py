"""Load tools of the service: ``python -m bench.soak`` drives the real gunicorn (see soak.py)."""
