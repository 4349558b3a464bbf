-- Petitions (issue: citizens submit a petition). Filled in by that work.
SELECT 1;
