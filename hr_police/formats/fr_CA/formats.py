"""French (Canada), as the Office québécois de la langue française writes them.

Django 5.2's fr_CA writes the time as "H\\xa0h\\xa0i" without escaping the "h", which the
date filter reads as the 12-hour clock ("14 02 30"); here the "h" is escaped, and the
hour is not zero-padded: « 22 novembre 2026, 9 h 05 », « 2026-11-22 14 h 30 ».
Dates in full, the ISO short date, the decimal comma and the space between thousands
come from Django's fr_CA module.
"""

TIME_FORMAT = "G\xa0\\h\xa0i"  # 9 h 05
DATETIME_FORMAT = "j F Y, G\xa0\\h\xa0i"  # 22 novembre 2026, 9 h 05
SHORT_DATETIME_FORMAT = "Y-m-d G\xa0\\h\xa0i"  # 2026-11-22 9 h 05
