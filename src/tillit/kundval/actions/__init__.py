"""Every state change in kundval, one function each, called alike by pages, API, imports and
tests. Each is transactional and raises ValidationError (Swedish messages) before writing."""
