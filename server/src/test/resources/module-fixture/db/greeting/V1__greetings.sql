-- The greeting test module's own table (GreetingModule): how many greetings were given.
CREATE TABLE greetings (given BIGINT NOT NULL);
INSERT INTO greetings (given) VALUES (0);
