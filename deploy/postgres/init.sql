-- Runs once, when the postgres volume is first initialised (docker-entrypoint-initdb.d), as
-- the superuser, connected to the `salestrack` database. Passwords come from the container's
-- environment (compose.yaml); psql's \getenv reads them, so none is written in this file.
--
-- Roles (docs/security.md, "Database and deployment"):
--   salestrack_owner      LOGIN, no superuser: owns the schema, runs migrations and pg-boss
--                         (DATABASE_URL).
--   salestrack_app        NOLOGIN: what requests run as; grants and row-level security
--                         policies name it (drizzle/0001, 0009).
--   salestrack_app_login  LOGIN, member of salestrack_app only (DATABASE_APP_URL): cannot
--                         SET ROLE to the owner or a superuser, cannot bypass RLS.
--   keycloak              LOGIN, owns the separate `keycloak` database.

\set ON_ERROR_STOP on
\getenv owner_password SALESTRACK_OWNER_PASSWORD
\getenv app_password SALESTRACK_APP_PASSWORD
\getenv keycloak_password KEYCLOAK_DB_PASSWORD

-- A missing variable would otherwise surface as a baffling syntax error further down.
\if :{?owner_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'SALESTRACK_OWNER_PASSWORD is not set'; END $$;
\endif
\if :{?app_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'SALESTRACK_APP_PASSWORD is not set'; END $$;
\endif
\if :{?keycloak_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'KEYCLOAK_DB_PASSWORD is not set'; END $$;
\endif

CREATE ROLE salestrack_owner LOGIN PASSWORD :'owner_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION;

-- Created here rather than by the first migration, with the same attributes, so the login
-- role below can be granted it before any migration ran. The owner gets ADMIN OPTION: the
-- migration grants it to the owner (single-URL setups SET ROLE to it) and needs that right.
CREATE ROLE salestrack_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
GRANT salestrack_app TO salestrack_owner WITH ADMIN OPTION;

CREATE ROLE salestrack_app_login LOGIN PASSWORD :'app_password' INHERIT
  NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION
  IN ROLE salestrack_app;

-- The owner owns the database, and with it the `public` schema (owned by pg_database_owner
-- since PostgreSQL 15): it creates the tables and pg-boss its own schema. Only the two
-- SalesTrack roles may connect; temporary tables stay allowed for the app.
ALTER DATABASE salestrack OWNER TO salestrack_owner;
REVOKE ALL ON DATABASE salestrack FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE salestrack TO salestrack_app;

-- Keycloak: its own login and database on the same server, out of SalesTrack's reach.
CREATE ROLE keycloak LOGIN PASSWORD :'keycloak_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE keycloak OWNER keycloak;
REVOKE ALL ON DATABASE keycloak FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE keycloak TO keycloak;
