-- The language a member last chose on the site (a BCP 47 tag the site offers);
-- mail reaches them in it, and another browser opens in it. NULL: never chose.
ALTER TABLE users ADD COLUMN language TEXT;
