"""The reference backend (extra `server`): FastAPI over a storage interface.

Nothing here is imported by the console; the console reaches it only over HTTP.
"""
