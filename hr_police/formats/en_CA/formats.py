"""English (Canada): ISO dates and the 24-hour clock the app has always printed.

Django's en_CA uses "2:30 p.m."; records, check-ins and audit entries read better, and
sort by eye, as "2026-11-22 14:30".
"""

TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j M Y, H:i"  # 22 Nov 2026, 14:30
SHORT_DATETIME_FORMAT = "Y-m-d H:i"  # 2026-11-22 14:30
