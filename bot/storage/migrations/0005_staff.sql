-- Staff workspace: invitations, sites (issue: staff workspace). Filled in by that work.
SELECT 1;
