-- The news site of Scalable Internet Architectures, chapter 8, for a MariaDB (or MySQL) master.
-- The book's Oracle DDL with MariaDB types: DATE (which holds a time of day in Oracle) becomes DATETIME, VARCHAR2
-- VARCHAR, CLOB MEDIUMTEXT. InnoDB is required: repl's change logs record the InnoDB transaction id, and the
-- foreign keys need it too. Table names keep their case here (on Linux MariaDB table names are case-sensitive).
--
--   mariadb news < master-mariadb.sql
--
-- Nothing here is specific to repl: `repl init` adds the change logs (repl_*_log) and triggers afterwards.

CREATE TABLE AdminUsers (
    UserID       INT PRIMARY KEY,
    UserName     VARCHAR(32) NOT NULL UNIQUE,
    Password     VARCHAR(80) NOT NULL,
    EmailAddress VARCHAR(255) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE SiteUsers (
    SiteUserID   INT PRIMARY KEY,
    CreatedDate  DATETIME NOT NULL,
    UserName     VARCHAR(32) NOT NULL UNIQUE,
    Password     VARCHAR(80) NOT NULL,
    EmailAddress VARCHAR(255) NOT NULL,
    Country      VARCHAR(3) NOT NULL,
    PostalCode   VARCHAR(10) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE NewsArticles (
    ArticleID        INT PRIMARY KEY,
    Author           INT NOT NULL,
    Editor           INT NULL,
    Approver         INT NULL,
    CreatedDate      DATETIME NOT NULL,
    LastModifiedDate DATETIME NOT NULL,
    PublishedDate    DATETIME NULL,
    Title            VARCHAR(200),
    AbstractText     VARCHAR(1024),
    BodyText         MEDIUMTEXT,
    isAvailable      INT NOT NULL DEFAULT 0,
    KEY NewsArticles_Author_IDX (Author),
    CONSTRAINT NewsArticles_Author_FK FOREIGN KEY (Author) REFERENCES AdminUsers(UserID),
    CONSTRAINT NewsArticles_Editor_FK FOREIGN KEY (Editor) REFERENCES AdminUsers(UserID),
    CONSTRAINT NewsArticles_Approver_FK FOREIGN KEY (Approver) REFERENCES AdminUsers(UserID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
