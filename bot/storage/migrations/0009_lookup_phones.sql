-- The phone check of a lookup from another account now compares the last four digits with
-- every phone given with the record (the sender's and each representative's, a booking's
-- too), read where they are kept; the digest of the sender's phone alone is not used.
-- Wrong answers to any lookup (a petition's or an appointment's) are counted together in
-- petition_lookup_failures, so switching between codes gives no extra tries.

ALTER TABLE petitions DROP COLUMN lookup_digest;

-- The code a wrong answer was given for: a right answer clears the wrong answers given for
-- that code only (one's own code answered right does not reset the guesses at another).
ALTER TABLE petition_lookup_failures ADD COLUMN code TEXT;
