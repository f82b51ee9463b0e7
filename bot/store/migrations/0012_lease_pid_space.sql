-- Where a lease holder's pid means something: host name and pid namespace ('' unknown). A standby
-- in the same place whose holder's pid no longer runs (killed, crashed) need not wait for the lapse.
ALTER TABLE leases ADD COLUMN pid_space TEXT NOT NULL DEFAULT '';
