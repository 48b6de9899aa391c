"""The person register's and the organisation's pages (`/personer/`, `/organisation/`), with the
searches and lists they share with other apps.

They ask the access policy, which reads the models of `individuals` and `organisation`, so they
sit above `access`, apart from those apps: the arrows go one way (docs/architecture.md). Their
templates stay in `individuals/templates/` and `organisation/templates/`, where Django finds them.
"""
