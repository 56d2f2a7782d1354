"""Writes of the culture app.

courses.py    setting a course up, enrolment (events' registration and waitlist underneath),
              attendance, completion
festivals.py  programme items, volunteer shifts and sign-ups, shift reminders
"""
