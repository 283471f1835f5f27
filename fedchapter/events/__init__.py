"""Events: the model, input validation, recurrence, display, iCalendar, RSVPs."""
