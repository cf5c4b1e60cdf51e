-- Runs once, when the postgres volume is first initialised (docker-entrypoint-initdb.d).
-- Keycloak gets its own login role and database on the same server as SalesTrack.
CREATE ROLE keycloak WITH LOGIN PASSWORD 'keycloak';
CREATE DATABASE keycloak OWNER keycloak;
