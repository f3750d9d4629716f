-- The test data (Flask's tutorial: tests/data.sql): users 'test' and 'other', whose passwords are 'test' and
-- 'other' (scrypt hashes in Werkzeug's format, made by generatePasswordHash), and one post by 'test'.
INSERT INTO user (username, password)
VALUES
  ('test', 'scrypt:32768:8:1$36IOFJKTzAQ146Dh$18afacbd5cf4d811581a22a8ac19dbd9e4d6001ab6a0f9d7cc3480c2921eb35c7a157f251d4388b475cbedb6f300d1212277120a8f91c83c43edf2c020f135dd'),
  ('other', 'scrypt:32768:8:1$BV3Y11sqxAeYsXIe$3a4a33f60ec15ba79957fa312e80ed53d18f68f2e4f9c89302bf7fc932c01ac46a2d988616c575fb200c6ec66d2bf7522c84728d33cdc37f1952eb964bbbb731');

INSERT INTO post (title, body, author_id, created)
VALUES
  ('test title', 'test' || char(10) || 'body', 1, '2018-01-01 00:00:00');
