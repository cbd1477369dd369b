"""The /api/v1 interface: JSON, CSV and iCalendar answers over the services and selectors
below it."""
