-- The news site of Scalable Internet Architectures, chapter 8, for a PostgreSQL master.
-- The book's Oracle DDL with PostgreSQL types: DATE (which holds a time of day in Oracle) becomes TIMESTAMP(0),
-- VARCHAR2 VARCHAR, CLOB TEXT. Names are unquoted, so PostgreSQL folds them to lower case (siteusers, siteuserid);
-- repl matches the config's "SiteUsers" ignoring case, and the slaves get the master's (lower-case) names.
--
--   psql -v ON_ERROR_STOP=1 -d news -f master-postgresql.sql
--
-- Nothing here is specific to repl: `repl init` adds the change logs and triggers (schema repl) afterwards.

CREATE TABLE AdminUsers (
    UserID       INTEGER PRIMARY KEY,
    UserName     VARCHAR(32) NOT NULL UNIQUE,
    Password     VARCHAR(80) NOT NULL,
    EmailAddress VARCHAR(255) NOT NULL
);

CREATE TABLE SiteUsers (
    SiteUserID   INTEGER PRIMARY KEY,
    CreatedDate  TIMESTAMP(0) NOT NULL,
    UserName     VARCHAR(32) NOT NULL UNIQUE,
    Password     VARCHAR(80) NOT NULL,
    EmailAddress VARCHAR(255) NOT NULL,
    Country      VARCHAR(3) NOT NULL,
    PostalCode   VARCHAR(10) NOT NULL
);

CREATE TABLE NewsArticles (
    ArticleID        INTEGER PRIMARY KEY,
    Author           INTEGER NOT NULL REFERENCES AdminUsers(UserID),
    Editor           INTEGER REFERENCES AdminUsers(UserID),
    Approver         INTEGER REFERENCES AdminUsers(UserID),
    CreatedDate      TIMESTAMP(0) NOT NULL,
    LastModifiedDate TIMESTAMP(0) NOT NULL,
    PublishedDate    TIMESTAMP(0),
    Title            VARCHAR(200),
    AbstractText     VARCHAR(1024),
    BodyText         TEXT,
    isAvailable      INTEGER DEFAULT 0 NOT NULL
);

CREATE INDEX NewsArticles_Author_IDX ON NewsArticles(Author);
