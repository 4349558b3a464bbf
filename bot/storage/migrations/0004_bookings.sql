-- Reception bookings (issue: citizens book a reception slot). Filled in by that work.
SELECT 1;
