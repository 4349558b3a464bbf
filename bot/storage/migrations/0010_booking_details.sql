-- A matter typed at length is not cut off: the booking keeps a short summary in topic (what
-- lists, reminders and the register show) and the citizen's full words in details, for the
-- staff who receive them. NULL when the matter fitted in the summary.

ALTER TABLE bookings ADD COLUMN details TEXT;
