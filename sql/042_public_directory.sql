-- 042_public_directory.sql: the front page's directory of approved units
-- by kind and region costs the same however many units there are.  The
-- page finds its groups (kind, region) by skipping along this index, a
-- probe per group, and reads the first units of each group by name from
-- it; it never reads every unit.  An index adds no row and no policy:
-- the public reads units under the policies it had.
CREATE INDEX units_directory ON units (kind, region, lower(name), slug)
    WHERE state = 'approved';
