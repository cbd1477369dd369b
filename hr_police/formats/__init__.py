"""Date and number formats for our two locales (FORMAT_MODULE_PATH).

Only the names set here override Django's own en_CA and fr_CA modules.
"""
