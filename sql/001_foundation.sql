-- 001_foundation.sql: the role the web application acts as.
--
-- The application logs in as a role that is a member of chapterhouse_web.
-- That role owns nothing, is no superuser and cannot bypass row-level
-- security; every later migration grants it exactly what it needs, table
-- by table.  Creating it needs CREATEROLE (or a superuser) the first time;
-- an operator may also create it beforehand.

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'chapterhouse_web') THEN
		CREATE ROLE chapterhouse_web NOLOGIN NOSUPERUSER NOCREATEDB
		    NOCREATEROLE NOREPLICATION NOBYPASSRLS;
	END IF;
END
$$;

-- Nothing is reachable by default: PUBLIC may not create objects here
-- (PostgreSQL 15 already revokes CREATE), and the web role may only look
-- up names in the schema.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO chapterhouse_web;

-- Migration bookkeeping is not the application's business.
REVOKE ALL ON schema_migrations FROM PUBLIC;
